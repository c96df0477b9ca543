/**
 * Unit tests for each check in ./checks/, in the order verify-dpop-request.ts runs them: each test
 * calls one check function directly and fails if that check is removed (the refusal would not
 * happen) or made too strict (the valid input would be refused).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { createLocalJWKSet, exportJWK, type JWK } from 'jose';

import { BEARER_CLIENT_ID, SPA_CLIENT_ID } from '../config.ts';
import { athOf } from '../dpop-proof/ath-of.ts';
import { createProofKey } from '../dpop-proof/proof-key.ts';
import { signProof, type ProofOverrides, type ProofRequest } from '../dpop-proof/sign-proof.ts';
import { checkAccessTokenHash } from './checks/check-access-token-hash.ts';
import { checkBearerClient } from './checks/check-bearer-client.ts';
import { checkBearerTokenIsUnbound } from './checks/check-bearer-token-is-unbound.ts';
import { checkProofAge } from './checks/check-proof-age.ts';
import { checkProofKeyIsPublic } from './checks/check-proof-key-is-public.ts';
import { checkProofMethod } from './checks/check-proof-method.ts';
import { checkProofNonce } from './checks/check-proof-nonce.ts';
import { checkProofSize } from './checks/check-proof-size.ts';
import { checkProofUri } from './checks/check-proof-uri.ts';
import { checkScope } from './checks/check-scope.ts';
import { checkTokenBinding } from './checks/check-token-binding.ts';
import { readCredentials } from './checks/read-credentials.ts';
import { readProofClaims } from './checks/read-proof-claims.ts';
import { readProofHeader } from './checks/read-proof-header.ts';
import { readSingleProof } from './checks/read-single-proof.ts';
import { readUnverifiedTokenClaims } from './checks/read-unverified-token-claims.ts';
import { recordProofUse, replayKey } from './checks/record-proof-use.ts';
import { verifyAccessToken } from './checks/verify-access-token.ts';
import { verifyProofSignature } from './checks/verify-proof-signature.ts';
import { createDpopNonces } from './dpop-nonce.ts';
import { MissingCredentialsError, ResourceAccessError, ServiceUnavailableError } from './errors.ts';
import { MemoryReplayCache, type ReplayCache } from './replay-cache.ts';
import { rawJws, tamperPayload } from './testing/raw-jws.ts';
import { startTestIssuer } from './testing/test-issuer.ts';

const HTU = 'http://api.dpop-lab.test/api/users';
const AUDIENCE = 'http://api.dpop-lab.test/api';

/** Asserts that `run` throws a ResourceAccessError with this status and error code. */
async function assertRefused(
  run: () => unknown,
  status: number,
  error: string | undefined,
): Promise<ResourceAccessError> {
  let thrown: unknown;
  try {
    await run();
  } catch (caught) {
    thrown = caught;
  }
  assert.ok(thrown instanceof ResourceAccessError, `expected a refusal, got ${String(thrown)}`);
  assert.equal(thrown.status, status, thrown.description);
  assert.equal(thrown.error, error, thrown.description);
  assert.ok(thrown.description.length > 20, 'the description says what to do');
  return thrown;
}

const key = await createProofKey('ES256', { extractable: true });
/** A proof that passes every check, or one with these faults and changes. */
const validProof = (overrides: ProofOverrides = {}, request: Partial<ProofRequest> = {}) =>
  signProof(key, { htm: 'GET', htu: HTU, accessToken: 'token-123', ...request }, overrides);

describe('readCredentials', () => {
  test('no Authorization header is a bare 401 (no error code)', async () => {
    const refusal = await assertRefused(() => readCredentials(undefined), 401, undefined);
    assert.ok(refusal instanceof MissingCredentialsError);
    await assertRefused(() => readCredentials(['']), 401, undefined);
  });
  test('an unsupported scheme is a bare 401', async () => {
    await assertRefused(() => readCredentials(['Basic YWxpY2U6cHc=']), 401, undefined);
  });
  test('two Authorization headers are invalid_request (400)', async () => {
    await assertRefused(() => readCredentials(['DPoP a', 'DPoP b']), 400, 'invalid_request');
  });
  test('a scheme without a token, or a token that is not token68, is invalid_request', async () => {
    await assertRefused(() => readCredentials(['DPoP']), 400, 'invalid_request');
    await assertRefused(() => readCredentials(['DPoP a b']), 400, 'invalid_request');
    await assertRefused(() => readCredentials(['DPoP "x"']), 400, 'invalid_request');
  });
  test('reads DPoP and Bearer credentials, scheme case-insensitively', () => {
    assert.deepEqual(readCredentials(['DPoP abc.def.ghi']), {
      scheme: 'DPoP',
      token: 'abc.def.ghi',
    });
    assert.deepEqual(readCredentials(['dpop abc']), { scheme: 'DPoP', token: 'abc' });
    assert.deepEqual(readCredentials(['Bearer abc=']), { scheme: 'Bearer', token: 'abc=' });
  });
});

describe('readUnverifiedTokenClaims', () => {
  test('a token that is not a JWT is invalid_token', async () => {
    await assertRefused(() => readUnverifiedTokenClaims('not-a-jwt'), 401, 'invalid_token');
  });
  test('reads the claims of a JWT without verifying it', () => {
    const token = rawJws({ alg: 'ES256' }, { client_id: BEARER_CLIENT_ID }, 'c2ln');
    assert.deepEqual(readUnverifiedTokenClaims(token), { client_id: BEARER_CLIENT_ID });
  });
});

describe('checkBearerTokenIsUnbound', () => {
  test('refuses a DPoP-bound token, of the bearer client too: never a downgrade (invalid_token)', async () => {
    const refusal = await assertRefused(
      () => checkBearerTokenIsUnbound({ client_id: BEARER_CLIENT_ID, cnf: { jkt: 'x' } }),
      401,
      'invalid_token',
    );
    assert.match(refusal.description, /DPoP-bound/);
  });
  test('lets an unbound token through', () => {
    checkBearerTokenIsUnbound({ client_id: BEARER_CLIENT_ID });
  });
});

describe('checkBearerClient', () => {
  test('lets through a token of the bearer client it is given (client_id, or azp)', () => {
    checkBearerClient({ client_id: 'the-bearer-client' }, 'the-bearer-client');
    checkBearerClient({ azp: 'the-bearer-client' }, 'the-bearer-client');
  });
  test('refuses a token of any other client, or of none, naming the bearer client (invalid_token)', async () => {
    for (const claims of [{ client_id: SPA_CLIENT_ID }, { azp: 'someone' }, { sub: 'alice' }]) {
      const refusal = await assertRefused(
        () => checkBearerClient(claims, BEARER_CLIENT_ID),
        401,
        'invalid_token',
      );
      assert.match(refusal.description, new RegExp(BEARER_CLIENT_ID));
    }
  });
});

describe('readSingleProof', () => {
  test('no DPoP header is invalid_request (400)', async () => {
    await assertRefused(() => readSingleProof(undefined), 400, 'invalid_request');
    await assertRefused(() => readSingleProof(['  ']), 400, 'invalid_request');
  });
  test('two DPoP headers, or two proofs folded into one line, are invalid_request', async () => {
    await assertRefused(() => readSingleProof(['a.b.c', 'd.e.f']), 400, 'invalid_request');
    await assertRefused(() => readSingleProof(['a.b.c, d.e.f']), 400, 'invalid_request');
  });
  test('one proof is returned', () => {
    assert.equal(readSingleProof(['a.b.c']), 'a.b.c');
  });
});

describe('checkProofSize', () => {
  test('a proof over the limit is 400 invalid_dpop_proof', async () => {
    await assertRefused(() => checkProofSize('x'.repeat(8193)), 400, 'invalid_dpop_proof');
    await assertRefused(() => checkProofSize('x'.repeat(11), 10), 400, 'invalid_dpop_proof');
  });
  test('a proof at the limit passes', () => {
    checkProofSize('x'.repeat(8192));
  });
});

describe('readProofHeader', () => {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk };
  const refused = (proof: string) =>
    assertRefused(() => readProofHeader(proof), 401, 'invalid_dpop_proof');
  test('a value that is not a compact JWS is refused', async () => {
    await refused('hello');
    await refused('a.b');
    await refused('a.b.c.d');
    await refused('a b.c.d');
    await refused(`${Buffer.from('not json').toString('base64url')}.e30.c2ln`);
    await refused(rawJws([1, 2], {}, 'c2ln'));
  });
  test('typ must be dpop+jwt', async () => {
    await refused(rawJws({ ...header, typ: undefined }, {}, 'c2ln'));
    await refused(rawJws({ ...header, typ: 'JWT' }, {}, 'c2ln'));
  });
  test('alg none, HS256, and algorithms off the list are refused', async () => {
    await refused(rawJws({ ...header, alg: 'none' }, {}, ''));
    await refused(rawJws({ ...header, alg: 'HS256' }, {}, 'c2ln'));
    await refused(rawJws({ ...header, alg: 'ES512' }, {}, 'c2ln'));
    await refused(rawJws({ ...header, alg: undefined }, {}, 'c2ln'));
  });
  test('jwk must be an object; crit and an empty signature are refused', async () => {
    await refused(rawJws({ ...header, jwk: undefined }, {}, 'c2ln'));
    await refused(rawJws({ ...header, jwk: 'abc' }, {}, 'c2ln'));
    await refused(rawJws({ ...header, crit: ['b64'], b64: false }, {}, 'c2ln'));
    await refused(rawJws(header, {}, ''));
  });
  test('a real proof passes, and application/dpop+jwt is the same typ', async () => {
    assert.equal(readProofHeader(await validProof()).alg, 'ES256');
    assert.equal(
      readProofHeader(rawJws({ ...header, typ: 'application/dpop+jwt' }, {}, 'c2ln')).typ,
      'application/dpop+jwt',
    );
  });
});

const privateJwk = await exportJWK(key.privateKey);

describe('checkProofKeyIsPublic', () => {
  test('a private key (with d) is refused', async () => {
    const refusal = await assertRefused(
      () => checkProofKeyIsPublic(privateJwk),
      401,
      'invalid_dpop_proof',
    );
    assert.match(refusal.description, /leaked/);
  });
  test('a symmetric oct key is refused', async () => {
    await assertRefused(
      () => checkProofKeyIsPublic({ kty: 'oct', k: 'c2VjcmV0' }),
      401,
      'invalid_dpop_proof',
    );
  });
  test('a key without kty is refused', async () => {
    await assertRefused(
      () => checkProofKeyIsPublic({ crv: 'P-256' } as JWK),
      401,
      'invalid_dpop_proof',
    );
  });
  test('a public EC key passes', () => {
    checkProofKeyIsPublic(key.publicJwk);
  });
});

describe('readProofClaims', () => {
  const refused = async (claims: Record<string, unknown>) =>
    assertRefused(
      async () => readProofClaims(await validProof({ claims })),
      401,
      'invalid_dpop_proof',
    );
  for (const name of ['jti', 'htm', 'htu', 'iat', 'ath']) {
    test(`a missing ${name} is refused`, async () => {
      const refusal = await refused({ [name]: undefined });
      assert.match(refusal.description, new RegExp(`${name} is missing`));
    });
  }
  test('claims of the wrong type are refused', async () => {
    await refused({ jti: 42 });
    await refused({ htm: ['GET'] });
    await refused({ htu: { href: HTU } });
    await refused({ iat: String(Math.floor(Date.now() / 1000)) });
    await refused({ iat: null });
    await refused({ ath: true });
    await refused({ nonce: 7 });
    await refused({ jti: '' });
    await refused({ jti: 'x'.repeat(300) });
  });
  test('a payload that is not a JSON object is refused', async () => {
    await assertRefused(
      () => readProofClaims(rawJws({}, ['GET'], 'c2ln')),
      401,
      'invalid_dpop_proof',
    );
    await assertRefused(() => readProofClaims('e30.bm90IGpzb24.c2ln'), 401, 'invalid_dpop_proof');
  });
  test('a valid payload is read', async () => {
    const claims = readProofClaims(await validProof({}, { nonce: 'n-1' }));
    assert.equal(claims.htu, HTU);
    assert.equal(claims.nonce, 'n-1');
    assert.equal(claims.ath, await athOf('token-123'));
  });
});

describe('checkProofMethod', () => {
  test('another method, or the same in lower case, is refused', async () => {
    await assertRefused(() => checkProofMethod('POST', 'GET'), 401, 'invalid_dpop_proof');
    await assertRefused(() => checkProofMethod('get', 'GET'), 401, 'invalid_dpop_proof');
  });
  test('the request method passes', () => {
    checkProofMethod('GET', 'GET');
  });
});

describe('checkProofUri', () => {
  const refused = (htu: string) =>
    assertRefused(() => checkProofUri(htu, HTU), 401, 'invalid_dpop_proof');
  test('another path, host, scheme or port is refused', async () => {
    await refused('http://api.dpop-lab.test/api/apps');
    await refused('http://evil.example/api/users');
    await refused('https://api.dpop-lab.test/api/users');
    await refused('http://api.dpop-lab.test:8080/api/users');
    await refused('http://api.dpop-lab.test/api/users/');
  });
  test('a query or fragment in htu is refused', async () => {
    await refused(`${HTU}?page=1`);
    await refused(`${HTU}#top`);
    await refused(`${HTU}?`);
  });
  test('relative URLs, other schemes and user info are refused', async () => {
    await refused('/api/users');
    await refused('ftp://api.dpop-lab.test/api/users');
    await refused('http://user@api.dpop-lab.test/api/users');
  });
  test('equal after RFC 3986 normalisation passes', () => {
    checkProofUri('HTTP://API.DPoP-Lab.test:80/api/users', HTU);
    checkProofUri('http://api.dpop-lab.test/api/%75sers', HTU);
    checkProofUri('http://api.dpop-lab.test/api/x/../users', HTU);
  });
});

describe('checkProofNonce', () => {
  const secret = new Uint8Array(randomBytes(32));
  const now = Date.now();
  const nonces = createDpopNonces({ secret, now: () => now });
  test('a missing nonce is use_dpop_nonce (401)', async () => {
    await assertRefused(() => checkProofNonce(undefined, nonces), 401, 'use_dpop_nonce');
  });
  test('a bogus nonce, or one made with another secret, is use_dpop_nonce', async () => {
    await assertRefused(() => checkProofNonce('bogus', nonces), 401, 'use_dpop_nonce');
    const foreign = createDpopNonces({
      secret: new Uint8Array(randomBytes(32)),
      now: () => now,
    }).issue();
    await assertRefused(() => checkProofNonce(foreign, nonces), 401, 'use_dpop_nonce');
  });
  test('a stale nonce is use_dpop_nonce', async () => {
    const old = createDpopNonces({ secret, now: () => now - 180_000 }).issue();
    const refusal = await assertRefused(() => checkProofNonce(old, nonces), 401, 'use_dpop_nonce');
    assert.match(refusal.description, /expired/);
  });
  test('a current nonce passes', () => {
    checkProofNonce(nonces.issue(), nonces);
  });
});

describe('checkProofAge', () => {
  const now = 1_800_000_000_000;
  test('iat beyond the window in the past or the future is refused', async () => {
    await assertRefused(() => checkProofAge(now / 1000 - 301, now), 401, 'invalid_dpop_proof');
    await assertRefused(() => checkProofAge(now / 1000 + 301, now), 401, 'invalid_dpop_proof');
    await assertRefused(() => checkProofAge(now / 1000 - 61, now, 60), 401, 'invalid_dpop_proof');
  });
  test('iat within the window passes', () => {
    checkProofAge(now / 1000 - 300, now);
    checkProofAge(now / 1000 + 299.5, now);
  });
});

describe('checkAccessTokenHash', () => {
  test('the hash of another token, or a non-hash, is refused', async () => {
    await assertRefused(
      async () => checkAccessTokenHash(await athOf('other-token'), 'token-123'),
      401,
      'invalid_dpop_proof',
    );
    await assertRefused(
      () => checkAccessTokenHash('token-123', 'token-123'),
      401,
      'invalid_dpop_proof',
    );
  });
  test('base64url(SHA-256(token)) passes, as athOf makes it', async () => {
    checkAccessTokenHash('A0GShF3Eid7KKR-fWuC7jlRyyZECC_ZLPrxt7Fodfkc', 'token-123');
    checkAccessTokenHash(await athOf('token-123'), 'token-123');
  });
});

describe('verifyProofSignature', () => {
  test('a proof signed by another key than its jwk is refused', async () => {
    const other = await createProofKey();
    await assertRefused(
      async () => verifyProofSignature(await validProof({ signWith: other.privateKey })),
      401,
      'invalid_dpop_proof',
    );
  });
  test('a tampered payload is refused', async () => {
    const proof = tamperPayload(await validProof(), { htm: 'DELETE' });
    await assertRefused(() => verifyProofSignature(proof), 401, 'invalid_dpop_proof');
  });
  test('a jwk that does not fit the alg is refused', async () => {
    const proof = await validProof({
      header: { jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } },
    });
    await assertRefused(() => verifyProofSignature(proof), 401, 'invalid_dpop_proof');
  });
  test('a valid proof verifies', async () => {
    await verifyProofSignature(await validProof());
  });
});

describe('verifyAccessToken', async () => {
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: JWK[] };
  const expected = {
    issuer: issuer.issuer,
    audience: AUDIENCE,
    getKey: createLocalJWKSet(jwks),
    now: Date.now(),
  };
  const refused = (token: string) =>
    assertRefused(() => verifyAccessToken(token, expected), 401, 'invalid_token');
  test.after(() => issuer.close());

  test('a token forged with another key is refused', async () => {
    await refused(await issuer.mintAccessToken({ jkt: 'x', forged: true }));
  });
  test('a token with a tampered payload is refused', async () => {
    await refused(
      tamperPayload(await issuer.mintAccessToken({ jkt: 'x', scope: 'openid' }), {
        scope: 'users:read',
      }),
    );
  });
  test('wrong aud, wrong iss, expired, typ JWT are refused', async () => {
    await refused(await issuer.mintAccessToken({ jkt: 'x', audience: 'http://other.example/api' }));
    await refused(await issuer.mintAccessToken({ jkt: 'x', issuer: 'http://evil.example' }));
    await refused(await issuer.mintAccessToken({ jkt: 'x', expiresIn: -10 }));
    const untyped = await refused(await issuer.mintAccessToken({ jkt: 'x', typ: 'JWT' }));
    assert.match(untyped.description, /at\+jwt/);
  });
  test('alg none and HS256 tokens, and non-JWTs, are refused', async () => {
    const claims = { iss: issuer.issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 };
    await refused(rawJws({ alg: 'none', typ: 'at+jwt' }, claims, ''));
    await refused(rawJws({ alg: 'HS256', typ: 'at+jwt' }, claims, 'c2ln'));
    await refused('abc');
  });
  test('unreachable issuer keys are 503, not invalid_token', async () => {
    const failing = { ...expected, getKey: () => Promise.reject(new TypeError('fetch failed')) };
    const refusal = await assertRefused(
      async () => verifyAccessToken(await issuer.mintAccessToken({ jkt: 'x' }), failing),
      503,
      'temporarily_unavailable',
    );
    assert.ok(refusal instanceof ServiceUnavailableError);
  });
  test('a valid token returns its claims', async () => {
    const claims = await verifyAccessToken(await issuer.mintAccessToken({ jkt: 'x' }), expected);
    assert.deepEqual(claims.cnf, { jkt: 'x' });
  });
});

describe('checkTokenBinding', () => {
  test('cnf.jkt of another key is refused (invalid_token)', async () => {
    const other = await createProofKey();
    await assertRefused(
      () => checkTokenBinding({ jkt: other.thumbprint }, key.publicJwk),
      401,
      'invalid_token',
    );
  });
  test('a token without cnf.jkt is refused', async () => {
    await assertRefused(() => checkTokenBinding(undefined, key.publicJwk), 401, 'invalid_token');
    await assertRefused(
      () => checkTokenBinding({ 'x5t#S256': 'abc' }, key.publicJwk),
      401,
      'invalid_token',
    );
  });
  test('the thumbprint of the proof key passes', async () => {
    await checkTokenBinding({ jkt: key.thumbprint }, key.publicJwk);
  });
});

describe('checkScope', () => {
  test('a scope without the needed one is 403 insufficient_scope naming it', async () => {
    const refusal = await assertRefused(
      () => checkScope('openid apps:read', 'users:read'),
      403,
      'insufficient_scope',
    );
    assert.equal((refusal as { requiredScope?: string }).requiredScope, 'users:read');
    await assertRefused(() => checkScope(undefined, 'users:read'), 403, 'insufficient_scope');
    await assertRefused(() => checkScope('users:readx', 'users:read'), 403, 'insufficient_scope');
  });
  test('the needed scope among others passes', () => {
    checkScope('openid users:read apps:read', 'users:read');
  });
});

describe('recordProofUse', () => {
  const now = 1_800_000_000_000;
  const use = { jti: 'jti-1', htu: HTU, iat: now / 1000 };
  test('the second use of a proof is refused (invalid_dpop_proof)', async () => {
    const cache = new MemoryReplayCache({ now: () => now });
    await recordProofUse(cache, use, now, 300);
    await assertRefused(() => recordProofUse(cache, use, now, 300), 401, 'invalid_dpop_proof');
  });
  test('the same jti for another htu is a different proof', async () => {
    const cache = new MemoryReplayCache({ now: () => now });
    await recordProofUse(cache, use, now, 300);
    await recordProofUse(cache, { ...use, htu: 'http://api.dpop-lab.test/api/apps' }, now, 300);
    assert.notEqual(replayKey('a', 'b'), replayKey('a', 'c'));
  });
  test('the entry lives until iat + window', async () => {
    const seen: number[] = [];
    const spy: ReplayCache = { insertIfAbsent: async (_key, ttlMs) => (seen.push(ttlMs), true) };
    await recordProofUse(spy, { ...use, iat: now / 1000 - 100 }, now, 300);
    assert.ok(seen[0]! >= 200_000 && seen[0]! <= 202_000, `ttl ${seen[0]}`);
  });
  test('a failing cache is 503, not an acceptance', async () => {
    const broken: ReplayCache = { insertIfAbsent: () => Promise.reject(new Error('down')) };
    await assertRefused(
      () => recordProofUse(broken, use, now, 300),
      503,
      'temporarily_unavailable',
    );
  });
});
