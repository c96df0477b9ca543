import { TestBed } from '@angular/core/testing';
import { HttpHeaders } from '@angular/common/http';
import { deleteDB } from 'idb';
import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  importJWK,
  JWK,
  JWTPayload,
  jwtVerify,
} from 'jose';

import { DpopKeyStore } from './dpop-key-store';
import { DpopNonces } from './dpop-nonces';
import { accessTokenHash, DpopProofs } from './dpop-proofs';
import { provideDpop, withKeyStorage } from './provide-dpop';

describe('DpopProofs (RFC 9449 §4.2, real WebCrypto)', () => {
  let databaseName: string;
  let proofs: DpopProofs;

  async function verify(proof: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256'],
    });
    return payload;
  }

  function jwkOf(proof: string): JWK {
    const { jwk } = decodeProtectedHeader(proof);
    if (!jwk) throw new Error('proof has no jwk header');
    return jwk;
  }

  async function sha256(text: string): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return base64url.encode(new Uint8Array(digest));
  }

  beforeEach(() => {
    databaseName = `dpop-test-${crypto.randomUUID()}`;
    TestBed.configureTestingModule({ providers: [provideDpop(withKeyStorage({ databaseName }))] });
    proofs = TestBed.inject(DpopProofs);
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(databaseName);
  });

  it('verifies with the public key embedded in its header (EmbeddedJWK and importJWK)', async () => {
    const proof = await proofs.create({ method: 'GET', url: 'https://api.example.com/api/users' });
    await expectAsync(verify(proof)).toBeResolved();

    const key = await importJWK(jwkOf(proof), 'ES256');
    await expectAsync(jwtVerify(proof, key)).toBeResolved();
  });

  it('has header typ dpop+jwt, alg ES256 and the public jwk without d', async () => {
    const proof = await proofs.create({ method: 'GET', url: 'https://api.example.com/' });
    const header = decodeProtectedHeader(proof);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    expect(header.jwk).toEqual(await TestBed.inject(DpopKeyStore).publicJwk());
    expect(Object.keys(jwkOf(proof)).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(header.jwk).not.toEqual(jasmine.objectContaining({ d: jasmine.anything() }));
  });

  it('carries jti, htm (upper case), htu (no query/fragment), iat (seconds), ath and nonce', async () => {
    const before = Math.floor(Date.now() / 1000);
    const proof = await proofs.create({
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
    expect(claims['ath']).toBe(await sha256('the-token'));
    expect(claims['nonce']).toBe('server-nonce');
  });

  it('computes ath as in the RFC 9449 §7.1 example', async () => {
    expect(await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
  });

  it('gives every proof a different jti', async () => {
    const input = { method: 'GET', url: 'https://api.example.com/x', accessToken: 't' };
    const [a, b] = await Promise.all([proofs.create(input), proofs.create(input)]);
    expect((await verify(a)).jti).not.toBe((await verify(b)).jti);
  });

  it('has no ath without an access token and no nonce when none is known', async () => {
    const claims = await verify(
      await proofs.create({ method: 'POST', url: 'https://as.example.com/token' }),
    );
    expect(claims['ath']).toBeUndefined();
    expect(claims['nonce']).toBeUndefined();
    expect(Object.keys(claims).sort()).toEqual(['htm', 'htu', 'iat', 'jti']);
  });

  it("uses the nonce last seen from the URL's origin, and only for that origin", async () => {
    TestBed.inject(DpopNonces).remember(
      'https://api.example.com/other',
      new HttpHeaders({ 'DPoP-Nonce': 'cached-nonce' }),
    );
    const same = await verify(
      await proofs.create({ method: 'GET', url: 'https://api.example.com/x' }),
    );
    const other = await verify(
      await proofs.create({ method: 'GET', url: 'https://as.example.com/x' }),
    );
    const explicit = await verify(
      await proofs.create({ method: 'GET', url: 'https://api.example.com/x', nonce: 'given' }),
    );
    expect(same['nonce']).toBe('cached-nonce');
    expect(other['nonce']).toBeUndefined();
    expect(explicit['nonce']).toBe('given');
  });

  it('signs with the stored key: the header jwk has the store thumbprint', async () => {
    const proof = await proofs.create({ method: 'GET', url: 'https://api.example.com/x' });
    expect(await calculateJwkThumbprint(jwkOf(proof))).toBe(
      await TestBed.inject(DpopKeyStore).thumbprint(),
    );
  });
});
