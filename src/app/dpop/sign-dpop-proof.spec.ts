import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  importJWK,
  JWK,
  JWTPayload,
  jwtVerify,
} from 'jose';

import { describeKey, DpopKey } from './dpop-key';
import { athOf, signDpopProof } from './sign-dpop-proof';

describe('signDpopProof (RFC 9449 §4.2, real WebCrypto)', () => {
  let key: DpopKey;

  beforeAll(async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    key = await describeKey(pair);
  });

  async function verify(proof: string): Promise<JWTPayload> {
    return (await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] }))
      .payload;
  }

  function jwkOf(proof: string): JWK {
    const { jwk } = decodeProtectedHeader(proof);
    if (!jwk) throw new Error('proof has no jwk header');
    return jwk;
  }

  it('verifies with the public key embedded in its header, which is the key that signed it', async () => {
    const proof = await signDpopProof(key, { method: 'GET', url: 'https://api.example.com/users' });
    await expectAsync(verify(proof)).toBeResolved();
    await expectAsync(jwtVerify(proof, await importJWK(jwkOf(proof), 'ES256'))).toBeResolved();
    expect(await calculateJwkThumbprint(jwkOf(proof))).toBe(key.thumbprint);
  });

  it('has header typ dpop+jwt, the key algorithm and the public jwk without d', async () => {
    const header = decodeProtectedHeader(
      await signDpopProof(key, { method: 'GET', url: 'https://api.example.com/' }),
    );
    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    expect(Object.keys(header.jwk ?? {}).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });

  it('carries jti, htm (upper case), htu (no query/fragment), iat (seconds), ath and nonce', async () => {
    const before = Math.floor(Date.now() / 1000);
    const proof = await signDpopProof(key, {
      method: 'post',
      url: 'https://API.example.com:443/api/users?page=2#frag',
      accessToken: 'the-token',
      nonce: 'server-nonce',
    });
    const after = Math.floor(Date.now() / 1000);
    const claims = await verify(proof);

    expect(claims.jti).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(claims['htm']).toBe('POST');
    expect(claims['htu']).toBe('https://api.example.com/api/users');
    expect(Number.isInteger(claims.iat)).toBeTrue();
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(after);
    expect(claims['ath']).toBe(await athOf('the-token'));
    expect(claims['nonce']).toBe('server-nonce');
  });

  it('takes the iat it is given (a clock-corrected or, in the attack lab, an old one)', async () => {
    const claims = await verify(
      await signDpopProof(key, { method: 'GET', url: 'https://a.example/', iat: 1_700_000_000 }),
    );
    expect(claims.iat).toBe(1_700_000_000);
  });

  it('computes ath as in the RFC 9449 §7.1 example', async () => {
    expect(await athOf('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
  });

  it('gives every proof a different jti', async () => {
    const input = { method: 'GET', url: 'https://api.example.com/x', accessToken: 't' };
    const [a, b] = await Promise.all([signDpopProof(key, input), signDpopProof(key, input)]);
    expect((await verify(a)).jti).not.toBe((await verify(b)).jti);
  });

  it('has no ath without an access token and no nonce without one', async () => {
    const claims = await verify(
      await signDpopProof(key, { method: 'POST', url: 'https://as.example.com/token' }),
    );
    expect(Object.keys(claims).sort()).toEqual(['htm', 'htu', 'iat', 'jti']);
  });
});
