import { createProofKey, signProof } from '@dpop-lab/protocol';
import { EmbeddedJWK, JWK, jwtVerify } from 'jose';

import { discover, getWithDpop } from './page-script';

const METADATA = {
  issuer: 'https://tenant.auth0.com/',
  authorization_endpoint: 'https://tenant.auth0.com/authorize',
  token_endpoint: 'https://tenant.auth0.com/oauth/token',
};

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });

describe('page script (fetch only, no app code)', () => {
  let fetchSpy: jasmine.Spy<typeof fetch>;

  beforeEach(() => {
    fetchSpy = spyOn(window, 'fetch');
  });

  describe('discover', () => {
    it('reads the discovery document of an issuer with a trailing slash (Auth0) at one "/"', async () => {
      fetchSpy.and.resolveTo(json(METADATA));
      const metadata = await discover('https://tenant.auth0.com/');
      expect(fetchSpy).toHaveBeenCalledOnceWith(
        'https://tenant.auth0.com/.well-known/openid-configuration',
      );
      expect(metadata.token_endpoint).toBe(METADATA.token_endpoint);
    });

    it('keeps the path of an issuer without one (Keycloak realm)', async () => {
      fetchSpy.and.resolveTo(json(METADATA));
      await discover('https://id.example/realms/lab');
      expect(fetchSpy).toHaveBeenCalledOnceWith(
        'https://id.example/realms/lab/.well-known/openid-configuration',
      );
    });

    it('says which address failed when the document is not there', async () => {
      fetchSpy.and.resolveTo(new Response('<h1>Not found</h1>', { status: 404 }));
      await expectAsync(discover('https://id.example/')).toBeRejectedWithError(
        /https:\/\/id\.example\/\.well-known\/openid-configuration answered 404/,
      );
    });
  });

  describe('nonce challenge', () => {
    const url = 'https://api.example/api/users';

    it('answers a resource server’s 401 WWW-Authenticate error="use_dpop_nonce" once', async () => {
      fetchSpy.and.returnValues(
        Promise.resolve(
          new Response(null, {
            status: 401,
            headers: {
              'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
              'DPoP-Nonce': 'n-1',
            },
          }),
        ),
        Promise.resolve(json({ ok: true })),
      );
      const answer = await getWithDpop(url, 'token', await createProofKey());
      expect(fetchSpy).toHaveBeenCalledTimes(2);
      expect(answer).toEqual(
        jasmine.objectContaining({ status: 200, challengedWith: 'n-1', body: { ok: true } }),
      );
    });

    it('keeps the real WWW-Authenticate and does not retry another 401 that carries a nonce', async () => {
      const challenge = 'DPoP error="invalid_token", algs="ES256"';
      fetchSpy.and.resolveTo(
        new Response(null, {
          status: 401,
          headers: { 'WWW-Authenticate': challenge, 'DPoP-Nonce': 'n-1' },
        }),
      );
      const answer = await getWithDpop(url, 'token', await createProofKey());
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expect(answer.error).toBe('invalid_token');
      expect(answer.wwwAuthenticate).toBe(challenge);
      expect(answer.challengedWith).toBeUndefined();
    });
  });
});

// The attack lab's "another key": made in this browser by the protocol package, as Attacker does.
describe('the thief’s own key (createProofKey, real WebCrypto)', () => {
  it('signs well-formed proofs that verify with the public key they carry', async () => {
    const proof = await signProof(await createProofKey(), {
      htm: 'GET',
      htu: 'http://localhost:3001/api/users',
    });
    const { protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect((protectedHeader.jwk as JWK).d).toBeUndefined();
  });

  it('makes a new key each time, which never hands out its private key', async () => {
    const [a, b] = await Promise.all([createProofKey(), createProofKey()]);
    expect('privateKey' in a).toBeFalse();
    expect(a.thumbprint).not.toBe(b.thumbprint);
  });
});
