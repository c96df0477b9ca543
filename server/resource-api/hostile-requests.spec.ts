/**
 * The negative table: hostile or broken requests against the running API, one test per row.
 * Each row starts from a request that passes every check (positive controls in
 * resource-api.spec.ts) and breaks one thing; the test asserts the status and the error code in
 * both the WWW-Authenticate challenge and the JSON body.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { athOf, createProofKey, signProof } from '@dpop-lab/protocol';
import { createDpopNonces } from './dpop-nonce.ts';
import {
  harnessForSuite,
  PUBLIC_URL,
  type Harness,
  type ProofChanges,
} from './testing/api-harness.ts';
import type { TestHeaders, TestRequest } from './testing/http-client.ts';
import { garbageRsaSignature, hostileRsaJwk } from './testing/hostile-rsa-jwk.ts';
import { rawJws, tamperPayload } from './testing/raw-jws.ts';
import type { MintOptions } from './testing/test-issuer.ts';

interface Row {
  name: string;
  request(h: Harness): Promise<TestRequest>;
  status: number;
  /** The error code, or undefined for a bare challenge (or no challenge, for 431). */
  error: string | undefined;
  /** Where several checks share an error code: the description that proves which one refused. */
  because?: RegExp;
}

const because = (row: Row, description: RegExp): Row => ({ ...row, because: description });

const HTU = `${PUBLIC_URL}/api/users`;
const HOUR = 3600;
const nowSeconds = (h: Harness) => Math.floor(h.clock.now() / 1000);

/** A valid request with these changes to the proof. */
const proofWith =
  (changes: ProofChanges | ((h: Harness) => Promise<ProofChanges> | ProofChanges)) =>
  async (h: Harness): Promise<TestRequest> => ({
    headers: await h.validHeaders({
      proof: typeof changes === 'function' ? await changes(h) : changes,
    }),
  });

/** A valid request with these changes to the access token. */
const tokenWith =
  (changes: Partial<MintOptions>) =>
  async (h: Harness): Promise<TestRequest> => ({
    headers: await h.validHeaders({ token: changes }),
  });

/** A valid access token with this string as the DPoP header. */
const rawProof =
  (build: (h: Harness, token: string) => Promise<string> | string) =>
  async (h: Harness): Promise<TestRequest> => {
    const token = await h.token();
    return { headers: { authorization: `DPoP ${token}`, dpop: await build(h, token) } };
  };

/** A valid request whose headers are then changed. */
const headersWith =
  (change: (headers: TestHeaders, h: Harness) => TestHeaders | Promise<TestHeaders>) =>
  async (h: Harness): Promise<TestRequest> => ({
    headers: await change(await h.validHeaders(), h),
  });

/** Rows refused with one status and error code. */
const refusedWith =
  (status: number, error: string) =>
  (name: string, request: Row['request']): Row => ({ name, request, status, error });
const invalidProof = refusedWith(401, 'invalid_dpop_proof');
const invalidToken = refusedWith(401, 'invalid_token');
const useNonce = refusedWith(401, 'use_dpop_nonce');
const invalidRequest = refusedWith(400, 'invalid_request');

const replayedProof = because(
  invalidProof('a replayed proof', async (h) => {
    const headers = await h.validHeaders();
    assert.equal((await h.send({ headers })).status, 200, 'first use is accepted');
    return { headers };
  }),
  /already used/,
);

/**
 * A proof that passes every check before the signature, with this RSA key in its header and a
 * garbage signature: refused for the key, never reaching the signature check (which would say
 * "signature does not verify"), so the key's cost is bounded before any RSA arithmetic.
 */
const rsaKeyProof = (modulusBits: number, exponentBits?: number) =>
  rawProof(async (h, token) =>
    rawJws(
      { typ: 'dpop+jwt', alg: 'RS256', jwk: hostileRsaJwk(modulusBits, exponentBits) },
      {
        jti: crypto.randomUUID(),
        htm: 'GET',
        htu: HTU,
        iat: nowSeconds(h),
        ath: await athOf(token),
        nonce: h.nonce(),
      },
      garbageRsaSignature(modulusBits),
    ),
  );

const otherKey = await createProofKey();
const es512Key = await createProofKey('ES512');

const ROWS: Row[] = [
  // Credentials and headers (readCredentials, the Bearer checks, readSingleProof)
  {
    name: 'no credentials at all',
    request: async () => ({ headers: {} }),
    status: 401,
    error: undefined,
  },
  {
    name: 'Basic credentials (unsupported scheme)',
    request: async () => ({ headers: { authorization: 'Basic YWxpY2U6YWxpY2U=' } }),
    status: 401,
    error: undefined,
  },
  invalidRequest(
    'DPoP scheme without a DPoP header',
    headersWith(({ authorization }) => ({ authorization })),
  ),
  invalidRequest(
    'two DPoP headers',
    headersWith((headers) => ({
      ...headers,
      dpop: [String(headers['dpop']), String(headers['dpop'])],
    })),
  ),
  invalidRequest(
    'two proofs folded into one DPoP header',
    headersWith((headers) => ({ ...headers, dpop: `${headers['dpop']}, ${headers['dpop']}` })),
  ),
  invalidRequest(
    'two Authorization headers',
    headersWith((headers) => ({
      ...headers,
      authorization: [String(headers['authorization']), 'DPoP other'],
    })),
  ),
  invalidRequest(
    'DPoP scheme without a token',
    headersWith((headers) => ({ ...headers, authorization: 'DPoP' })),
  ),
  invalidRequest(
    'a token that is not token68 (spaces)',
    headersWith((headers) => ({ ...headers, authorization: `${headers['authorization']} extra` })),
  ),

  // Size limits
  {
    name: 'a proof of about 9 KiB (over the 8 KiB limit)',
    request: proofWith({ claims: { padding: 'x'.repeat(6 * 1024) } }),
    status: 400,
    error: 'invalid_dpop_proof',
  },
  {
    name: 'a proof of 20 KiB (over the header limit: Node answers 431)',
    request: headersWith((headers) => ({ ...headers, dpop: 'x'.repeat(20 * 1024) })),
    status: 431,
    error: undefined,
  },

  // Proof structure (readProofHeader, checkProofKeyIsPublic, verifyProofSignature)
  invalidProof(
    'a proof that is not a JWS',
    rawProof(() => 'hello'),
  ),
  invalidProof(
    'a proof with two segments',
    rawProof(() => 'eyJhbGciOiJFUzI1NiJ9.e30'),
  ),
  invalidProof(
    'a proof header that is not JSON',
    rawProof(() => `${Buffer.from('{typ:').toString('base64url')}.e30.c2ln`),
  ),
  invalidProof('typ missing', proofWith({ header: { typ: undefined } })),
  invalidProof('typ JWT instead of dpop+jwt', proofWith({ header: { typ: 'JWT' } })),
  invalidProof('alg none, unsigned', proofWith({ signWith: 'none' })),
  invalidProof(
    'alg HS256 with a symmetric jwk',
    proofWith(() => {
      const secret = new Uint8Array(randomBytes(32));
      return {
        header: { alg: 'HS256', jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } },
        signWith: secret,
      };
    }),
  ),
  because(
    invalidProof(
      'alg ES512, asymmetric but not allow-listed',
      rawProof((h, token) =>
        signProof(es512Key, {
          htm: 'GET',
          htu: HTU,
          accessToken: token,
          nonce: h.nonce(),
          iat: nowSeconds(h),
        }),
      ),
    ),
    /not accepted/,
  ),
  invalidProof('jwk missing', proofWith({ header: { jwk: undefined } })),
  because(
    invalidProof(
      'an RSA key with a 3070-bit exponent, refused before its signature is checked',
      rsaKeyProof(3072, 3070),
    ),
    /exponent .*65537 \(AQAB\) only/,
  ),
  because(
    invalidProof('a 1024-bit RSA key, refused before its signature is checked', rsaKeyProof(1024)),
    /modulus of 1024 bits/,
  ),
  because(
    invalidProof('an 8192-bit RSA key, refused before its signature is checked', rsaKeyProof(8192)),
    /modulus of 8192 bits/,
  ),
  because(
    invalidProof(
      'an ES256 proof whose jwk is a P-384 key',
      proofWith(async () => ({ header: { jwk: (await createProofKey('ES384')).publicJwk } })),
    ),
    /needs a key on curve P-256/,
  ),
  because(
    invalidProof(
      'a private jwk (with d), correctly signed',
      proofWith(async (h) => ({ header: { jwk: h.privateJwk } })),
    ),
    /private key material/,
  ),
  because(
    invalidProof(
      'a symmetric oct jwk with alg ES256',
      proofWith({ header: { jwk: { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' } } }),
    ),
    /kty 'oct'/,
  ),
  because(
    invalidProof(
      'jwk of another key than the signing one',
      proofWith({ header: { jwk: otherKey.publicJwk } }),
    ),
    /signature does not verify/,
  ),
  invalidProof(
    'a tampered proof payload',
    headersWith((headers) => ({
      ...headers,
      dpop: tamperPayload(String(headers['dpop']), { jti: 'chosen' }),
    })),
  ),
  because(
    invalidProof('a crit header (b64)', proofWith({ header: { crit: ['b64'], b64: true } })),
    /crit/,
  ),

  // Claims present with the right types (readProofClaims)
  invalidProof('jti missing', proofWith({ claims: { jti: undefined } })),
  invalidProof('htm missing', proofWith({ claims: { htm: undefined } })),
  invalidProof('htu missing', proofWith({ claims: { htu: undefined } })),
  invalidProof('iat missing', proofWith({ claims: { iat: undefined } })),
  invalidProof('ath missing', proofWith({ claims: { ath: undefined } })),
  invalidProof('jti is a number', proofWith({ claims: { jti: 12345 } })),
  invalidProof(
    'iat is a string',
    proofWith((h) => ({ claims: { iat: String(nowSeconds(h)) } })),
  ),
  invalidProof('htu is an object', proofWith({ claims: { htu: { href: HTU } } })),
  invalidProof('nonce is a number', proofWith({ claims: { nonce: 42 } })),

  // htm, htu (checkProofMethod, checkProofUri)
  invalidProof('htm POST on a GET', proofWith({ htm: 'POST' })),
  invalidProof('htm in lower case', proofWith({ htm: 'get' })),
  invalidProof('htu of another path', proofWith({ htu: `${PUBLIC_URL}/api/apps` })),
  invalidProof('htu of another host', proofWith({ htu: 'http://evil.example/api/users' })),
  invalidProof('htu built from the Host header', async (h) => {
    const host = new URL(h.api.url).host;
    return {
      headers: { ...(await h.validHeaders({ proof: { htu: `http://${host}/api/users` } })), host },
    };
  }),
  invalidProof('htu https instead of http', proofWith({ htu: HTU.replace('http:', 'https:') })),
  invalidProof(
    'htu with a query (RFC 9449 §4.2: htu has none)',
    proofWith({ claims: { htu: `${HTU}?page=1` } }),
  ),
  invalidProof('htu with a fragment', proofWith({ claims: { htu: `${HTU}#top` } })),

  // ath (checkAccessTokenHash)
  invalidProof(
    'ath of another token',
    proofWith(async () => ({ claims: { ath: await athOf('another-token') } })),
  ),

  // nonce and iat (checkProofNonce, checkProofAge)
  because(
    invalidProof(
      'iat an hour ago, with a valid nonce',
      proofWith((h) => ({ iat: nowSeconds(h) - HOUR })),
    ),
    /iat is 3\d{3} s in the past/,
  ),
  because(
    invalidProof(
      'iat an hour ahead, with a valid nonce',
      proofWith((h) => ({ iat: nowSeconds(h) + HOUR })),
    ),
    /iat is 3\d{3} s in the future/,
  ),
  because(
    invalidProof(
      'iat 120 s ahead, with a valid nonce (at most 15 s ahead)',
      proofWith((h) => ({ iat: nowSeconds(h) + 120 })),
    ),
    /iat is 1[12]\d s in the future .*up to 15 s ahead/,
  ),
  useNonce('iat an hour ago and no nonce (RFC 9449 §11.1)', async (h) => ({
    headers: await h.validHeaders({ withoutNonce: true, proof: { iat: nowSeconds(h) - HOUR } }),
  })),
  useNonce('no nonce', async (h) => ({ headers: await h.validHeaders({ withoutNonce: true }) })),
  useNonce('a bogus nonce', proofWith({ nonce: 'bogus-nonce' })),
  useNonce(
    'a stale nonce (three minutes old)',
    proofWith((h) => ({
      nonce: createDpopNonces({
        secret: h.nonceSecret,
        now: () => h.clock.now() - 180_000,
      }).issue(),
    })),
  ),
  useNonce(
    'a nonce made with another secret',
    proofWith((h) => ({
      nonce: createDpopNonces({
        secret: new Uint8Array(randomBytes(32)),
        now: () => h.clock.now(),
      }).issue(),
    })),
  ),

  // Replay (recordProofUse)
  replayedProof,

  // Access token (the Bearer checks, verifyAccessToken, checkTokenBinding)
  because(
    invalidToken('a DPoP-bound token sent as Bearer', async (h) => ({
      headers: await h.validHeaders({ scheme: 'Bearer' }),
    })),
    /DPoP-bound .* sent as Bearer/,
  ),
  invalidToken('an unbound token sent as Bearer', async (h) => ({
    headers: await h.validHeaders({ scheme: 'Bearer', token: { jkt: null } }),
  })),
  because(
    invalidToken('an unbound token with the DPoP scheme', tokenWith({ jkt: null })),
    /not DPoP-bound/,
  ),
  invalidToken('a token forged with the attacker key', tokenWith({ forged: true })),
  invalidToken('a token with a tampered payload (scope widened)', async (h) => ({
    headers: await h.validHeaders({
      accessToken: tamperPayload(await h.token({ scope: 'openid' }), {
        scope: 'openid users:read',
      }),
    }),
  })),
  because(
    invalidToken(
      'a token for another audience',
      tokenWith({ audience: 'http://other-api.example/api' }),
    ),
    /aud must include/,
  ),
  because(
    invalidToken('a token from another issuer', tokenWith({ issuer: 'http://evil.example' })),
    /issued by 'http:\/\/evil.example'/,
  ),
  because(invalidToken('an expired token', tokenWith({ expiresIn: -60 })), /expired/),
  because(
    invalidToken('a token with typ JWT instead of at+jwt', tokenWith({ typ: 'JWT' })),
    /at\+jwt/,
  ),
  invalidToken('a token with alg none', async (h) => ({
    headers: await h.validHeaders({
      accessToken: rawJws(
        { alg: 'none', typ: 'at+jwt' },
        {
          iss: h.config.issuer,
          aud: h.config.apiResource,
          exp: nowSeconds(h) + 60,
          cnf: { jkt: h.key.thumbprint },
          scope: 'users:read',
        },
      ),
    }),
  })),
  invalidToken('a token that is not a JWT', async (h) => ({
    headers: await h.validHeaders({ accessToken: 'opaque-token-value' }),
  })),
  because(
    invalidToken('cnf.jkt of another key', tokenWith({ jkt: otherKey.thumbprint })),
    /different key/,
  ),

  // Scope (checkScope)
  {
    name: 'a token without the users:read scope',
    request: tokenWith({ scope: 'openid apps:read' }),
    status: 403,
    error: 'insufficient_scope',
  },
];

function runTable(title: string, rows: Row[], options: { nonces: boolean }) {
  describe(title, () => {
    const h = harnessForSuite({ nonces: options.nonces });

    for (const row of rows) {
      test(`${row.name} → ${row.status} ${row.error ?? '(no error code)'}`, async (t) => {
        const response = await h.send(await row.request(h));
        t.diagnostic(
          String(
            (response.body as Record<string, unknown> | undefined)?.['error_description'] ??
              response.status,
          ),
        );
        assert.equal(response.status, row.status, response.text);
        if (row.status === 431) {
          assert.equal(response.challenge, undefined);
          return;
        }
        assert.equal(response.challenge?.scheme, 'DPoP', 'a DPoP challenge');
        assert.equal(response.challenge?.params['algs'], 'ES256 ES384 PS256 RS256 EdDSA');
        assert.equal(response.challenge?.params['error'], row.error, 'error in WWW-Authenticate');
        const body = response.body as Record<string, unknown>;
        assert.equal(body['error'], row.error, 'error in the body');
        assert.equal(typeof body['error_description'], 'string');
        if (row.error !== undefined) {
          assert.equal(response.challenge?.params['error_description'], body['error_description']);
        }
        if (row.because) assert.match(String(body['error_description']), row.because);
        assert.equal(response.headers['cache-control'], 'no-store');
        if (row.error === 'use_dpop_nonce')
          assert.ok(response.headers['dpop-nonce'], 'a fresh nonce comes with use_dpop_nonce');
      });
    }
  });
}

runTable('hostile requests (nonces on)', ROWS, { nonces: true });

runTable(
  'hostile requests (nonces off)',
  [
    invalidProof(
      'iat an hour ago',
      proofWith((h) => ({ iat: nowSeconds(h) - HOUR })),
    ),
    invalidProof(
      'iat an hour ahead',
      proofWith((h) => ({ iat: nowSeconds(h) + HOUR })),
    ),
    invalidProof(
      'iat six minutes ago (just outside the 300 s window)',
      proofWith((h) => ({ iat: nowSeconds(h) - 360 })),
    ),
    invalidProof(
      'iat 120 s ahead (at most 15 s ahead)',
      proofWith((h) => ({ iat: nowSeconds(h) + 120 })),
    ),
    replayedProof,
    invalidToken('cnf.jkt of another key', tokenWith({ jkt: otherKey.thumbprint })),
  ],
  { nonces: false },
);
