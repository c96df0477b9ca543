/**
 * The DPoP proof builder on its own (RFC 9449 §4.2): what a proof carries, the two hashes and
 * the URL rule it applies, the faults a verifier's tests can ask for, and how a client reads a
 * nonce challenge. The resource API's tests check the same proofs against the real verifier.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  calculateJwkThumbprint,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  EmbeddedJWK,
  jwtVerify,
} from 'jose';

import { athOf } from './ath-of.ts';
import { htuOf } from './htu-of.ts';
import { nonceChallengeOf } from './nonce-challenge.ts';
import { createProofKey } from './proof-key.ts';
import { signProof } from './sign-proof.ts';

const URL_WITH_QUERY = 'https://api.example.test:8443/api/users?page=2#top';
const HTU = 'https://api.example.test:8443/api/users';

const key = await createProofKey();

describe('athOf', () => {
  test('is base64url(SHA-256(access token)), without padding', async () => {
    assert.equal(await athOf('token-123'), 'A0GShF3Eid7KKR-fWuC7jlRyyZECC_ZLPrxt7Fodfkc');
  });
});

describe('htuOf', () => {
  test('keeps scheme, host, port and path, and drops query and fragment', () => {
    assert.equal(htuOf(URL_WITH_QUERY), HTU);
    assert.equal(htuOf(new URL(URL_WITH_QUERY)), HTU);
  });
  test('refuses a relative URL and a URL that is not http(s), saying what to give', () => {
    assert.throws(() => htuOf('/api/users'), /not an absolute URL: give the full request URL/);
    assert.throws(() => htuOf('ftp://api.example.test/x'), /not an http\(s\) URL/);
  });
});

describe('createProofKey', () => {
  test('a non-extractable private key, the public JWK only, and its RFC 7638 thumbprint', async () => {
    assert.equal(key.algorithm, 'ES256');
    assert.equal(key.privateKey.extractable, false);
    assert.equal(key.publicJwk.d, undefined);
    assert.equal(key.thumbprint, await calculateJwkThumbprint(key.publicJwk));
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

  test('overrides set or remove header members and claims, of any type', async () => {
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
    const foreign = await signProof(key, { htm: 'GET', htu: HTU }, { signWith: other.privateKey });
    await assert.rejects(compactVerify(foreign, EmbeddedJWK), /signature verification failed/);

    const secret = new Uint8Array(32).fill(7);
    const mac = await signProof(
      key,
      { htm: 'GET', htu: HTU },
      { header: { alg: 'HS256' }, signWith: secret },
    );
    await compactVerify(mac, secret);

    const unsigned = await signProof(key, { htm: 'GET', htu: HTU }, { signWith: 'none' });
    assert.equal(decodeProtectedHeader(unsigned).alg, 'none');
    assert.match(unsigned, /^[\w-]+\.[\w-]+\.$/);
    assert.equal(decodeJwt(unsigned)['htu'], HTU);
  });
});

describe('nonceChallengeOf', () => {
  const answer = { status: 400, nonce: 'n-2', wwwAuthenticate: null, body: undefined };
  test("reads an authorization server's 400 use_dpop_nonce (RFC 9449 §8)", () => {
    assert.equal(nonceChallengeOf({ ...answer, body: { error: 'use_dpop_nonce' } }), 'n-2');
  });
  test("reads a resource server's 401 WWW-Authenticate use_dpop_nonce (§9)", () => {
    const wwwAuthenticate = 'DPoP error="use_dpop_nonce", algs="ES256"';
    assert.equal(nonceChallengeOf({ ...answer, status: 401, wwwAuthenticate }), 'n-2');
  });
  test('is no challenge without a DPoP-Nonce, for another error, or for another status', () => {
    const body = { error: 'use_dpop_nonce' };
    assert.equal(nonceChallengeOf({ ...answer, nonce: null, body }), undefined);
    assert.equal(nonceChallengeOf({ ...answer, body: { error: 'invalid_grant' } }), undefined);
    assert.equal(nonceChallengeOf({ ...answer, status: 200, body }), undefined);
  });
});
