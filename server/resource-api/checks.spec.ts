/**
 * Unit tests for each check in ./checks/, in the order verify-dpop-request.ts runs them: each test
 * calls one check function directly and fails if that check is removed (the refusal would not
 * happen) or made too strict (the valid input would be refused).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { calculateJwkThumbprint, createLocalJWKSet, type JWK } from 'jose';
import {
  athOf,
  createProofKey,
  type ProofFaults,
  type ProofRequest,
  signProof,
} from '@dpop-lab/protocol';

import { exportableProofKey } from '../testing/exportable-proof-key.ts';

import { BEARER_CLIENT_ID, SPA_CLIENT_ID } from '../config.ts';
import { PROOF_ALGORITHMS } from './algorithms.ts';
import { checkAccessTokenHash } from './checks/check-access-token-hash.ts';
import { checkBearerClient } from './checks/check-bearer-client.ts';
import { checkBearerTokenIsUnbound } from './checks/check-bearer-token-is-unbound.ts';
import { checkProofAge, DEFAULT_PROOF_WINDOW } from './checks/check-proof-age.ts';
import { checkProofKeyBounds } from './checks/check-proof-key-bounds.ts';
import { checkProofKeyIsPublic } from './checks/check-proof-key-is-public.ts';
import { checkProofMethod } from './checks/check-proof-method.ts';
import { checkProofNonce } from './checks/check-proof-nonce.ts';
import { checkProofSize } from './checks/check-proof-size.ts';
import { checkProofUri } from './checks/check-proof-uri.ts';
import { checkScope } from './checks/check-scope.ts';
import { checkTokenAudience } from './checks/check-token-audience.ts';
import { checkTokenBinding } from './checks/check-token-binding.ts';
import { checkTokenExpiry } from './checks/check-token-expiry.ts';
import { readCredentials } from './checks/read-credentials.ts';
import { readProofClaims } from './checks/read-proof-claims.ts';
import { readProofDeadline } from './checks/read-proof-deadline.ts';
import { readIntrospectedToken } from './checks/read-introspected-token.ts';
import { readProofHeader } from './checks/read-proof-header.ts';
import { readSingleProof } from './checks/read-single-proof.ts';
import { readProofKeyThumbprint } from './checks/read-proof-key-thumbprint.ts';
import { readTokenShape } from './checks/read-token-shape.ts';
import { recordProofUse, replayKey } from './checks/record-proof-use.ts';
import { verifyAccessToken } from './checks/verify-access-token.ts';
import { verifyProofSignature } from './checks/verify-proof-signature.ts';
import { createDpopNonces } from './dpop-nonce.ts';
import { MissingCredentialsError, ResourceAccessError, ServiceUnavailableError } from './errors.ts';
import { MemoryReplayCache } from './memory-replay-cache.ts';
import { principalOf } from './principal.ts';
import { ReplayLimitError, type ProofEntry, type ReplayCache } from './replay-cache.ts';
import { accessTokenWith } from './testing/access-token-with.ts';
import { hostileRsaJwk } from './testing/hostile-rsa-jwk.ts';
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

const { key, privateJwk } = await exportableProofKey();
/** A proof that passes every check, or one with these faults and changes. */
const validProof = (overrides: ProofFaults = {}, request: Partial<ProofRequest> = {}) =>
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

describe('checkBearerTokenIsUnbound', () => {
  test('refuses a DPoP-bound token, of the bearer client too: never a downgrade (invalid_token)', async () => {
    const refusal = await assertRefused(
      () =>
        checkBearerTokenIsUnbound(
          accessTokenWith({ clientId: BEARER_CLIENT_ID, cnf: { jkt: 'x' } }),
        ),
      401,
      'invalid_token',
    );
    assert.match(refusal.description, /DPoP-bound/);
  });
  test('lets an unbound token through', () => {
    checkBearerTokenIsUnbound(accessTokenWith({ clientId: BEARER_CLIENT_ID }));
  });
});

describe('checkBearerClient', () => {
  test('lets through a token of the bearer client it is given', () => {
    checkBearerClient(accessTokenWith({ clientId: 'the-bearer-client' }), 'the-bearer-client');
  });
  test('refuses a token of any other client, or of none, naming the bearer client (invalid_token)', async () => {
    for (const clientId of [SPA_CLIENT_ID, 'someone', undefined]) {
      const refusal = await assertRefused(
        () => checkBearerClient(accessTokenWith({ clientId }), BEARER_CLIENT_ID),
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

describe('checkProofKeyBounds', () => {
  const rsa = (modulusBits: number, e = 'AQAB'): JWK => ({ ...hostileRsaJwk(modulusBits), e });
  test('RSA: an exponent other than 65537 is refused, saying why', async () => {
    const huge = await assertRefused(
      () => checkProofKeyBounds(hostileRsaJwk(3072, 3070), 'RS256'),
      401,
      'invalid_dpop_proof',
    );
    assert.match(huge.description, /exponent .*65537 \(AQAB\) only/);
    await assertRefused(
      () => checkProofKeyBounds(rsa(2048, 'Aw'), 'PS256'),
      401,
      'invalid_dpop_proof',
    );
  });
  test('RSA: a modulus under 2048 or over 4096 bits is refused, saying its size', async () => {
    for (const bits of [1024, 2047, 4097, 8192]) {
      const refusal = await assertRefused(
        () => checkProofKeyBounds(rsa(bits), 'RS256'),
        401,
        'invalid_dpop_proof',
      );
      assert.match(refusal.description, new RegExp(`modulus of ${bits} bits; .*2048 to 4096`));
    }
  });
  test('RSA of 2048 to 4096 bits with e = 65537 passes', () => {
    for (const bits of [2048, 3072, 4096]) checkProofKeyBounds(rsa(bits), 'RS256');
  });
  test('a key of another type or curve than the alg names is refused', async () => {
    await assertRefused(() => checkProofKeyBounds(rsa(2048), 'ES256'), 401, 'invalid_dpop_proof');
    await assertRefused(
      () => checkProofKeyBounds({ ...key.publicJwk, crv: 'P-384' }, 'ES256'),
      401,
      'invalid_dpop_proof',
    );
    await assertRefused(
      () => checkProofKeyBounds({ kty: 'OKP', crv: 'Ed448', x: 'AA' }, 'EdDSA'),
      401,
      'invalid_dpop_proof',
    );
    await assertRefused(
      () => checkProofKeyBounds(key.publicJwk, 'ES384'),
      401,
      'invalid_dpop_proof',
    );
  });
  test('a jwk whose use or alg contradicts the proof is refused', async () => {
    await assertRefused(
      () => checkProofKeyBounds({ ...key.publicJwk, use: 'enc' }, 'ES256'),
      401,
      'invalid_dpop_proof',
    );
    await assertRefused(
      () => checkProofKeyBounds({ ...key.publicJwk, alg: 'ES384' }, 'ES256'),
      401,
      'invalid_dpop_proof',
    );
  });
  test('the keys the app and the CLI make pass (ES256, ES384, EdDSA)', async () => {
    checkProofKeyBounds({ ...key.publicJwk, use: 'sig', alg: 'ES256' }, 'ES256');
    checkProofKeyBounds((await createProofKey('ES384')).publicJwk, 'ES384');
    checkProofKeyBounds((await createProofKey('EdDSA')).publicJwk, 'EdDSA');
  });
});

describe('readProofKeyThumbprint', () => {
  test('is the RFC 7638 thumbprint, as jose computes it, for EC, RSA and OKP keys', async () => {
    for (const alg of ['ES256', 'PS256', 'EdDSA']) {
      const { publicJwk } = await createProofKey(alg);
      const withExtras = { ...publicJwk, alg, use: 'sig', kid: 'ignored' };
      assert.equal(readProofKeyThumbprint(withExtras), await calculateJwkThumbprint(publicJwk));
    }
  });
  test('a key without a required member is refused', async () => {
    await assertRefused(
      () => readProofKeyThumbprint({ kty: 'EC', crv: 'P-256', x: 'AA' }),
      401,
      'invalid_dpop_proof',
    );
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
  test('iat more than 300 s old, or more than 15 s ahead, is refused', async () => {
    await assertRefused(() => checkProofAge(now / 1000 - 301, now), 401, 'invalid_dpop_proof');
    const ahead = await assertRefused(
      () => checkProofAge(now / 1000 + 15.5, now),
      401,
      'invalid_dpop_proof',
    );
    assert.match(ahead.description, /iat is 16 s in the future .*up to 15 s ahead/);
    await assertRefused(() => checkProofAge(now / 1000 + 120, now), 401, 'invalid_dpop_proof');
    const narrow = { pastSeconds: 60, futureSeconds: 5 };
    await assertRefused(
      () => checkProofAge(now / 1000 - 61, now, narrow),
      401,
      'invalid_dpop_proof',
    );
  });
  test('iat up to 300 s old and up to 15 s ahead passes (FAPI 2.0 tests send ±10 s)', () => {
    checkProofAge(now / 1000 - 300, now);
    checkProofAge(now / 1000 + 5, now);
    checkProofAge(now / 1000 + 10, now);
    checkProofAge(now / 1000 + 15, now);
  });
});

describe('readProofDeadline', () => {
  const now = 1_800_000_000_000;
  const nonces = createDpopNonces({ secret: randomBytes(32), now: () => now });
  test('without nonces: iat + the past window', () => {
    assert.equal(
      readProofDeadline(now / 1000 - 100, undefined, DEFAULT_PROOF_WINDOW, undefined),
      now + 200_000,
    );
  });
  test("with nonces: the nonce's end when it comes first (1–2 minutes), else iat + the window", () => {
    const nonce = nonces.issue();
    const deadline = readProofDeadline(now / 1000, nonce, DEFAULT_PROOF_WINDOW, nonces);
    assert.equal(deadline, nonces.acceptedUntil(nonce));
    assert.ok(deadline - now <= 120_000);
    const old = readProofDeadline(now / 1000 - 250, nonce, DEFAULT_PROOF_WINDOW, nonces);
    assert.equal(old, now + 50_000);
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
  const proofKey = { jwk: key.publicJwk, alg: 'ES256' as const, thumbprint: key.thumbprint };
  test('a proof signed by another key than its jwk is refused', async () => {
    const other = await createProofKey();
    await assertRefused(
      async () => verifyProofSignature(await validProof({ signWith: other }), proofKey),
      401,
      'invalid_dpop_proof',
    );
  });
  test('a tampered payload is refused', async () => {
    const proof = tamperPayload(await validProof(), { htm: 'DELETE' });
    await assertRefused(() => verifyProofSignature(proof, proofKey), 401, 'invalid_dpop_proof');
  });
  test('a jwk that is no point on its curve is refused, and no key is kept for it', async () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' };
    const proof = await validProof({ header: { jwk } });
    const bad = { jwk, alg: 'ES256' as const, thumbprint: readProofKeyThumbprint(jwk) };
    await assertRefused(() => verifyProofSignature(proof, bad), 401, 'invalid_dpop_proof');
    assert.equal('key' in bad, false);
  });
  test('proofs jose signs verify with each accepted algorithm; with another key of it they are refused', async () => {
    for (const alg of PROOF_ALGORITHMS) {
      const signer = await createProofKey(alg);
      const other = await createProofKey(alg);
      const claims = { htm: 'GET', htu: HTU, accessToken: 'token-123' };
      const own = { jwk: signer.publicJwk, alg, thumbprint: signer.thumbprint };
      await verifyProofSignature(await signProof(signer, claims), own);
      await assertRefused(
        async () => verifyProofSignature(await signProof(signer, claims, { signWith: other }), own),
        401,
        'invalid_dpop_proof',
      );
    }
  });
  test('a signature of the wrong length is refused, not an error', async () => {
    const [header, payload] = (await validProof()).split('.');
    await assertRefused(
      () => verifyProofSignature(`${header}.${payload}.AAAA`, proofKey),
      401,
      'invalid_dpop_proof',
    );
  });
  test('a valid proof verifies, the second time with the key imported the first time', async () => {
    const fresh: Parameters<typeof verifyProofSignature>[1] = { ...proofKey };
    await verifyProofSignature(await validProof(), fresh);
    const imported = fresh.key;
    assert.ok(imported);
    await verifyProofSignature(await validProof(), fresh);
    assert.equal(fresh.key, imported);
  });
});

describe('verifyAccessToken', async () => {
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: JWK[] };
  const expected = { issuer: issuer.issuer, getKey: createLocalJWKSet(jwks), now: Date.now() };
  const refused = (token: string) =>
    assertRefused(() => verifyAccessToken(token, 'rfc9068', expected), 401, 'invalid_token');
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
  test('wrong iss, expired, typ JWT (as RFC 9068) are refused', async () => {
    await refused(await issuer.mintAccessToken({ jkt: 'x', issuer: 'http://evil.example' }));
    await refused(await issuer.mintAccessToken({ jkt: 'x', expiresIn: -10 }));
    await refused(await issuer.mintAccessToken({ jkt: 'x', typ: 'JWT' }));
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
      async () => verifyAccessToken(await issuer.mintAccessToken({ jkt: 'x' }), 'rfc9068', failing),
      503,
      'temporarily_unavailable',
    );
    assert.ok(refusal instanceof ServiceUnavailableError);
  });
  test('a valid token returns its claims, audience as a list', async () => {
    const token = await verifyAccessToken(
      await issuer.mintAccessToken({ jkt: 'x' }),
      'rfc9068',
      expected,
    );
    assert.deepEqual(token.cnf, { jkt: 'x' });
    assert.deepEqual(token.audience, [AUDIENCE]);
    assert.deepEqual(token.scopes, ['openid', 'users:read', 'apps:read']);
  });
});

describe('readTokenShape', async () => {
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  test.after(() => issuer.close());
  const mint = (typ: string | null) => issuer.mintAccessToken({ jkt: 'x', typ });

  test('reads each JWT shape by its header typ, when admitted', async () => {
    const all = ['rfc9068', 'okta', 'keycloak', 'auth0'] as const;
    assert.equal(readTokenShape(await mint('at+jwt'), all, AUDIENCE), 'rfc9068');
    assert.equal(readTokenShape(await mint('application/AT+JWT'), all, AUDIENCE), 'rfc9068');
    assert.equal(readTokenShape(await mint(null), all, AUDIENCE), 'okta');
    assert.equal(readTokenShape(await mint('JWT'), ['auth0'], AUDIENCE), 'auth0');
    assert.equal(readTokenShape(await mint('JWT'), ['keycloak'], AUDIENCE), 'keycloak');
    assert.equal(readTokenShape('opaque-token', ['rfc9068', 'opaque'], AUDIENCE), 'opaque');
  });
  test('a shape not admitted is invalid_token naming the shape and the setting', async () => {
    const okta = await assertRefused(
      async () => readTokenShape(await mint(null), ['rfc9068'], AUDIENCE),
      401,
      'invalid_token',
    );
    assert.match(okta.description, /without typ, as Okta issues .*API_TOKEN_SHAPES=rfc9068,okta/);
    const jwt = await assertRefused(
      async () => readTokenShape(await mint('JWT'), ['rfc9068'], AUDIENCE),
      401,
      'invalid_token',
    );
    assert.match(jwt.description, /typ 'JWT', as Keycloak and Auth0 .*admits rfc9068/);
    const opaque = await assertRefused(
      () => readTokenShape('opaque-token', ['rfc9068'], AUDIENCE),
      401,
      'invalid_token',
    );
    assert.match(opaque.description, /not a JWT.*API_TOKEN_SHAPES=opaque/);
    // Issue 20: an opaque token where a JWT is expected names the audience and `resource`.
    assert.match(
      opaque.description,
      /audience http:\/\/api\.dpop-lab\.test\/api.*token request itself.*must carry resource=http:\/\/api\.dpop-lab\.test\/api \(RFC 8707/,
    );
    const other = await assertRefused(
      async () => readTokenShape(await mint('dpop+jwt'), ['rfc9068', 'okta'], AUDIENCE),
      401,
      'invalid_token',
    );
    assert.match(other.description, /typ 'dpop\+jwt', which no access-token shape has/);
  });
  test('a JWT is never taken for an opaque token', async () => {
    await assertRefused(
      async () => readTokenShape(await mint('JWT'), ['opaque'], AUDIENCE),
      401,
      'invalid_token',
    );
  });
});

describe('readIntrospectedToken', () => {
  const ISSUER = 'https://idp.example/oauth2/token';
  const exp = Math.floor(Date.now() / 1000) + 60;
  const answering = (answer: Record<string, unknown>) => async () => answer;
  const read = (answer: Record<string, unknown>) =>
    readIntrospectedToken('opaque', answering(answer), ISSUER);

  test('an active answer gives the token: aud, scope, client, cnf as the answer says', async () => {
    const token = await read({
      active: true,
      exp,
      iss: ISSUER,
      aud: AUDIENCE,
      scope: 'users:read apps:read',
      client_id: SPA_CLIENT_ID,
      cnf: { jkt: 'x' },
    });
    assert.deepEqual(
      { ...token },
      {
        shape: 'opaque',
        expiresAt: exp,
        audience: [AUDIENCE],
        scopes: ['users:read', 'apps:read'],
        clientId: SPA_CLIENT_ID,
        cnf: { jkt: 'x' },
        subject: undefined,
        principal: principalOf(SPA_CLIENT_ID, undefined, undefined),
      },
    );
  });
  test('active: false (or missing) is invalid_token', async () => {
    await assertRefused(() => read({ active: false }), 401, 'invalid_token');
    await assertRefused(() => read({ exp }), 401, 'invalid_token');
    await assertRefused(() => read({ active: 'true', exp }), 401, 'invalid_token');
  });
  test('an answer without exp, or from another issuer, is invalid_token', async () => {
    await assertRefused(() => read({ active: true }), 401, 'invalid_token');
    const other = await assertRefused(
      () => read({ active: true, exp, iss: 'https://evil.example' }),
      401,
      'invalid_token',
    );
    assert.match(other.description, /evil\.example/);
  });
});

describe('checkTokenExpiry', () => {
  const now = 1_800_000_000_000;
  test('exp at or before now is refused', async () => {
    await assertRefused(() => checkTokenExpiry(now / 1000, now), 401, 'invalid_token');
    await assertRefused(() => checkTokenExpiry(now / 1000 - 60, now), 401, 'invalid_token');
  });
  test('exp after now passes', () => {
    checkTokenExpiry(now / 1000 + 1, now);
  });
});

describe('checkTokenAudience', () => {
  test('an audience without the API is refused, naming both', async () => {
    const refusal = await assertRefused(
      () => checkTokenAudience(['http://other.example/api'], AUDIENCE),
      401,
      'invalid_token',
    );
    assert.match(
      refusal.description,
      /other\.example.*aud must include http:\/\/api\.dpop-lab\.test\/api/,
    );
    // Issue 20: it says which `resource` the token request must carry.
    assert.match(
      refusal.description,
      /token request itself.*must carry resource=http:\/\/api\.dpop-lab\.test\/api \(RFC 8707/,
    );
    await assertRefused(() => checkTokenAudience([], AUDIENCE), 401, 'invalid_token');
  });
  test('the API among other audiences passes (Auth0 adds its userinfo URL)', () => {
    checkTokenAudience([AUDIENCE], AUDIENCE);
    checkTokenAudience(['https://tenant.auth0.com/userinfo', AUDIENCE], AUDIENCE);
  });
});

describe('checkTokenBinding', () => {
  test('cnf.jkt of another key is refused (invalid_token)', async () => {
    const other = await createProofKey();
    await assertRefused(
      () => checkTokenBinding({ jkt: other.thumbprint }, key.thumbprint),
      401,
      'invalid_token',
    );
  });
  test('a token without cnf.jkt is refused', async () => {
    await assertRefused(() => checkTokenBinding(undefined, key.thumbprint), 401, 'invalid_token');
    await assertRefused(
      () => checkTokenBinding({ 'x5t#S256': 'abc' }, key.thumbprint),
      401,
      'invalid_token',
    );
  });
  test('the thumbprint of the proof key passes', async () => {
    checkTokenBinding({ jkt: key.thumbprint }, key.thumbprint);
  });
});

describe('checkScope', () => {
  test('a scope without the needed one is 403 insufficient_scope naming it', async () => {
    const refusal = await assertRefused(
      () => checkScope(['openid', 'apps:read'], 'users:read'),
      403,
      'insufficient_scope',
    );
    assert.equal((refusal as { requiredScope?: string }).requiredScope, 'users:read');
    await assertRefused(() => checkScope([], 'users:read'), 403, 'insufficient_scope');
    await assertRefused(() => checkScope(['users:readx'], 'users:read'), 403, 'insufficient_scope');
  });
  test('the needed scope among others passes', () => {
    checkScope(['openid', 'users:read', 'apps:read'], 'users:read');
  });
});

describe('recordProofUse', () => {
  const now = 1_800_000_000_000;
  const use = { jti: 'jti-1', htu: HTU, deadline: now + 60_000, principal: 'alice', jkt: 'key-1' };
  test('the second use of a proof is refused (invalid_dpop_proof)', async () => {
    const cache = new MemoryReplayCache({ now: () => now });
    await recordProofUse(cache, use);
    await assertRefused(() => recordProofUse(cache, use), 401, 'invalid_dpop_proof');
  });
  test('the same jti for another htu is a different proof', async () => {
    const cache = new MemoryReplayCache({ now: () => now });
    await recordProofUse(cache, use);
    await recordProofUse(cache, { ...use, htu: 'http://api.dpop-lab.test/api/apps' });
    assert.notEqual(replayKey('a', 'b'), replayKey('a', 'c'));
  });
  test('the entry lives until the deadline (+1 s for clocks), for the principal and its key', async () => {
    const seen: ProofEntry[] = [];
    const spy: ReplayCache = { insertIfAbsent: async (entry) => (seen.push(entry), true) };
    await recordProofUse(spy, use);
    assert.deepEqual(seen, [
      {
        key: replayKey(use.jti, use.htu),
        expiresAt: use.deadline + 1_000,
        principal: 'alice',
        jkt: 'key-1',
      },
    ]);
  });
  test('a principal at a limit is 429 too_many_requests with Retry-After, saying which limit', async () => {
    for (const [limit, words] of [
      ['proofs', /has 7 DPoP proofs for this user/],
      ['keys', /already uses 7 DPoP keys/],
      ['full', /replay cache is full/],
    ] as const) {
      const limited: ReplayCache = {
        insertIfAbsent: () => Promise.reject(new ReplayLimitError(limit, 7, 12_300)),
      };
      const refusal = await assertRefused(
        () => recordProofUse(limited, use),
        429,
        'too_many_requests',
      );
      assert.equal(refusal.retryAfterSeconds, 13);
      assert.match(refusal.description, words);
      assert.match(refusal.description, /retry in 13 s/);
    }
  });
  test('a failing cache is 503, not an acceptance', async () => {
    const broken: ReplayCache = { insertIfAbsent: () => Promise.reject(new Error('down')) };
    await assertRefused(() => recordProofUse(broken, use), 503, 'temporarily_unavailable');
  });
});
