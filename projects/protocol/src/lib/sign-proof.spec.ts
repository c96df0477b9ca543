/**
 * Keys and proofs (RFC 9449 §4.2): what a proof carries, the two hashes and the URL rule, and the
 * faults a verifier's tests can ask for. The resource API's specs send the same proofs to the
 * real verifier.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  calculateJwkThumbprint,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  EmbeddedJWK,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';

import { athOf } from './ath.ts';
import { htuOf, originOf } from './htu.ts';
import { createProofKey, proofKeyOf } from './proof-key.ts';
import { signProof } from './sign-proof.ts';

const URL_WITH_QUERY = 'https://api.example.test:8443/api/users?page=2#top';
const HTU = 'https://api.example.test:8443/api/users';

const key = await createProofKey();

describe('athOf', () => {
  test('is base64url(SHA-256(access token)), without padding', async () => {
    assert.equal(await athOf('token-123'), 'A0GShF3Eid7KKR-fWuC7jlRyyZECC_ZLPrxt7Fodfkc');
  });
  test('matches the example of RFC 9449 §7.1', async () => {
    assert.equal(
      await athOf('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'),
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
  });
});

describe('htuOf and originOf', () => {
  test('keep scheme, host, port and path, and drop query and fragment', () => {
    assert.equal(htuOf(URL_WITH_QUERY), HTU);
    assert.equal(htuOf(new URL(URL_WITH_QUERY)), HTU);
    assert.equal(htuOf('HTTPS://API.example.test:443/a'), 'https://api.example.test/a');
    assert.equal(originOf(URL_WITH_QUERY), 'https://api.example.test:8443');
  });
  test('resolve a relative URL against a base, as a browser request does', () => {
    assert.equal(
      htuOf('/api/users?x=1', 'http://localhost:4200/users'),
      'http://localhost:4200/api/users',
    );
  });
  test('refuse a relative URL without a base and a URL that is not http(s), saying what to give', () => {
    assert.throws(() => htuOf('/api/users'), /not an absolute URL: give the full request URL/);
    assert.throws(() => htuOf('ftp://api.example.test/x'), /not an http\(s\) URL/);
    assert.equal(originOf('not a url'), null);
  });
});

describe('proof keys', () => {
  test('a fresh key: the public JWK only, and its RFC 7638 thumbprint', async () => {
    assert.equal(key.algorithm, 'ES256');
    assert.deepEqual(Object.keys(key.publicJwk).sort(), ['crv', 'kty', 'x', 'y']);
    assert.equal(key.thumbprint, await calculateJwkThumbprint(key.publicJwk));
    assert.equal('privateKey' in key, false, 'a ProofKey never hands out its private key');
  });

  test('a key pair held already, with its public key as a JWK: d never reaches the proof header', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    const held = await proofKeyOf({ privateKey: pair.privateKey, publicKey: privateJwk }, 'ES256');
    assert.equal(held.publicJwk['d'], undefined);
    assert.equal(held.thumbprint, await calculateJwkThumbprint(await exportJWK(pair.publicKey)));
  });

  test('keys of every algorithm a DPoP client signs with', async () => {
    for (const algorithm of ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA']) {
      const other = await createProofKey(algorithm);
      const proof = await signProof(other, { htm: 'GET', htu: HTU });
      const { protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
      assert.equal(protectedHeader.alg, algorithm);
    }
  });
});

describe('signProof', () => {
  test('signs a dpop+jwt with the public key in its header, verifiable with that key', async () => {
    const proof = await signProof(key, { htm: 'GET', htu: HTU });
    const { protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    assert.deepEqual(protectedHeader, { typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk });
  });

  test('carries jti, htm as given, htu without query, and iat now; ath and nonce only when given', async () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(await signProof(key, { htm: 'post', htu: URL_WITH_QUERY }));
    assert.deepEqual(Object.keys(claims).sort(), ['htm', 'htu', 'iat', 'jti']);
    assert.equal(claims['htm'], 'post', 'methods are case-sensitive: no upper-casing');
    assert.equal(claims['htu'], HTU);
    assert.ok(claims.iat! >= before && claims.iat! <= before + 5);

    const full = decodeJwt(
      await signProof(key, {
        htm: 'GET',
        htu: HTU,
        accessToken: 'token-123',
        nonce: 'n-1',
        iat: 7,
      }),
    );
    assert.equal(full['ath'], await athOf('token-123'));
    assert.equal(full['nonce'], 'n-1');
    assert.equal(full.iat, 7);
  });

  test('gives every proof its own jti', async () => {
    const jtis = await Promise.all(
      Array.from(
        { length: 20 },
        async () => decodeJwt(await signProof(key, { htm: 'GET', htu: HTU })).jti,
      ),
    );
    assert.equal(new Set(jtis).size, 20);
  });

  test('faults set or remove header members and claims, of any type', async () => {
    const proof = await signProof(
      key,
      { htm: 'GET', htu: HTU, accessToken: 'token-123' },
      {
        header: { typ: undefined, kid: 'k' },
        claims: { ath: undefined, htu: `${HTU}?q`, iat: 'x' },
      },
    );
    const header = decodeProtectedHeader(proof);
    assert.equal(header.typ, undefined);
    assert.equal(header.kid, 'k');
    const claims = decodeJwt(proof);
    assert.equal(claims['ath'], undefined);
    assert.equal(claims['htu'], `${HTU}?q`);
    assert.equal(claims['iat'], 'x');
    await compactVerify(proof, EmbeddedJWK); // still signed by the key in its header
  });

  test("signWith: another key, an HMAC secret, or 'none' (alg none, empty signature)", async () => {
    const other = await createProofKey();
    const foreign = await signProof(key, { htm: 'GET', htu: HTU }, { signWith: other });
    assert.deepEqual(decodeProtectedHeader(foreign).jwk, key.publicJwk);
    await assert.rejects(compactVerify(foreign, EmbeddedJWK), /signature verification failed/);

    const secret = new Uint8Array(32).fill(7);
    const mac = await signProof(key, { htm: 'GET', htu: HTU }, { signWith: secret });
    assert.equal(decodeProtectedHeader(mac).alg, 'HS256');
    await compactVerify(mac, secret);

    const unsigned = await signProof(key, { htm: 'GET', htu: HTU }, { signWith: 'none' });
    assert.equal(decodeProtectedHeader(unsigned).alg, 'none');
    assert.match(unsigned, /^[\w-]+\.[\w-]+\.$/);
    assert.equal(decodeJwt(unsigned)['htu'], HTU);
  });
});
