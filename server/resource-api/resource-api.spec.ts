/**
 * The running API end to end over loopback: positive controls, the nonce handshake, routes,
 * CORS, caching, request limits, concurrency, and where the issuer's keys come from.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';

import { DEMO_ACCOUNTS } from '../config.ts';
import { MemoryReplayCache } from './memory-replay-cache.ts';
import { harnessForSuite, PUBLIC_URL, SPA_ORIGIN, startHarness } from './testing/api-harness.ts';

describe('resource API with nonces on (the default)', () => {
  const h = harnessForSuite();

  test('a valid request gets 200 with the demo users, and never a password', async () => {
    const response = await h.send({ headers: await h.validHeaders() });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, [
      { id: 'alice', name: 'Alice Anders', email: 'alice@example.com' },
      { id: 'bob', name: 'Bob Brandt', email: 'bob@example.com' },
    ]);
    for (const { password } of DEMO_ACCOUNTS) assert.ok(!response.text.includes(password));
    assert.match(String(response.headers['content-type']), /^application\/json/);
  });

  test('GET /api/apps with apps:read lists the registered apps', async () => {
    const response = await h.send({
      path: '/api/apps',
      headers: await h.validHeaders({ path: '/api/apps' }),
    });
    assert.equal(response.status, 200, response.text);
    assert.ok(Array.isArray(response.body) && response.body.length > 0);
    for (const app of response.body as Record<string, unknown>[]) {
      assert.deepEqual(Object.keys(app).sort(), ['clientId', 'dpopBound', 'id', 'name']);
    }
  });

  test('GET /api/apps needs apps:read (403 insufficient_scope with scope="apps:read")', async () => {
    const headers = await h.validHeaders({
      path: '/api/apps',
      token: { scope: 'openid users:read' },
    });
    const response = await h.send({ path: '/api/apps', headers });
    assert.equal(response.status, 403);
    assert.equal(response.challenge?.params['error'], 'insufficient_scope');
    assert.equal(response.challenge?.params['scope'], 'apps:read');
  });

  test('nonce handshake: first 401 use_dpop_nonce with a DPoP-Nonce, then 200 with that nonce', async () => {
    const token = await h.token();
    const first = await h.send({
      headers: { authorization: `DPoP ${token}`, dpop: await h.proof(token, { nonce: undefined }) },
    });
    assert.equal(first.status, 401);
    assert.equal(first.challenge?.params['error'], 'use_dpop_nonce');
    const nonce = first.headers['dpop-nonce'];
    assert.equal(typeof nonce, 'string');

    const second = await h.send({
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await h.proof(token, { nonce: String(nonce) }),
      },
    });
    assert.equal(second.status, 200, second.text);
  });

  test('the same jti may be used again after a refusal that came before the replay check', async () => {
    const token = await h.token();
    const jti = `retry-${Date.now()}`;
    const refused = await h.send({
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await h.proof(token, { nonce: undefined, claims: { jti } }),
      },
    });
    assert.equal(refused.status, 401);
    const accepted = await h.send({
      headers: { authorization: `DPoP ${token}`, dpop: await h.proof(token, { claims: { jti } }) },
    });
    assert.equal(accepted.status, 200, 'the nonce refusal did not burn the jti');
  });

  test('responses that carry a nonce are Cache-Control: no-store (200, 401, no credentials)', async () => {
    const responses = [
      await h.send({ headers: await h.validHeaders() }),
      await h.send({ headers: await h.validHeaders({ withoutNonce: true }) }),
      await h.send({}),
    ];
    for (const response of responses) {
      assert.ok(response.headers['dpop-nonce'], `status ${response.status} carries a nonce`);
      assert.equal(response.headers['cache-control'], 'no-store', `status ${response.status}`);
    }
  });

  test('a request without credentials is a bare DPoP challenge with algs and no error', async () => {
    const response = await h.send({});
    assert.equal(response.status, 401);
    assert.equal(response.headers['www-authenticate'], 'DPoP algs="ES256 ES384 PS256 RS256 EdDSA"');
  });

  test('htu is checked against API_PUBLIC_URL, whatever the Host header says', async () => {
    const headers = await h.validHeaders();
    const response = await h.send({ headers: { ...headers, host: 'evil.example' } });
    assert.equal(response.status, 200, response.text);
  });

  test('htu that differs only by case and the default port is accepted (RFC 3986 normalisation)', async () => {
    const htu = PUBLIC_URL.replace('http://api', 'HTTP://API').concat(':80/api/users');
    const response = await h.send({
      headers: await h.validHeaders({ proof: { claims: { htu } } }),
    });
    assert.equal(response.status, 200, response.text);
  });

  test('a query on the request itself is fine; htu leaves it out', async () => {
    const response = await h.send({
      path: '/api/users?page=2#x',
      headers: await h.validHeaders({ path: '/api/users' }),
    });
    assert.equal(response.status, 200, response.text);
  });

  test('an iat four minutes old (inside the 300 s window) is accepted', async () => {
    const iat = Math.floor(h.clock.now() / 1000) - 240;
    const response = await h.send({ headers: await h.validHeaders({ proof: { iat } }) });
    assert.equal(response.status, 200, response.text);
  });

  test('an iat 5 s or 10 s ahead (a fast clock; FAPI 2.0 tests send ±10 s) is accepted', async () => {
    for (const ahead of [5, 10, -10]) {
      const iat = Math.floor(h.clock.now() / 1000) + ahead;
      const response = await h.send({ headers: await h.validHeaders({ proof: { iat } }) });
      assert.equal(response.status, 200, `${ahead} s: ${response.text}`);
    }
  });

  test('one valid proof sent 50 times concurrently: exactly one 200, 49 invalid_dpop_proof', async () => {
    const headers = await h.validHeaders();
    const responses = await Promise.all(Array.from({ length: 50 }, () => h.send({ headers })));
    assert.equal(responses.filter((r) => r.status === 200).length, 1);
    const refused = responses.filter((r) => r.status !== 200);
    assert.equal(refused.length, 49);
    for (const response of refused) {
      assert.equal(response.status, 401);
      assert.equal(response.challenge?.params['error'], 'invalid_dpop_proof');
    }
  });

  test('an oversized header block gets 431 from Node, and the server keeps serving', async () => {
    const oversized = await h.send({ headers: { 'x-padding': 'x'.repeat(64 * 1024) } });
    assert.equal(oversized.status, 431);
    const next = await h.send({ headers: await h.validHeaders() });
    assert.equal(next.status, 200, next.text);
  });

  test('garbage on the socket does not stop the server', async () => {
    const { port } = new URL(h.api.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('NOT HTTP\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    assert.equal((await h.send({ headers: await h.validHeaders() })).status, 200);
  });
});

describe('routes', () => {
  const h = harnessForSuite();

  test('an unknown path is 404 JSON', async () => {
    const response = await h.send({
      path: '/api/secrets',
      headers: await h.validHeaders({ path: '/api/secrets' }),
    });
    assert.equal(response.status, 404);
    assert.equal((response.body as Record<string, unknown>)['error'], 'not_found');
  });

  test('another method is 405 with Allow', async () => {
    for (const method of ['POST', 'DELETE', 'PUT', 'HEAD']) {
      const response = await h.send({ method, headers: await h.validHeaders({ method }) });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers['allow'], 'GET, OPTIONS');
    }
  });
});

describe('CORS', () => {
  const h = harnessForSuite();

  test('a preflight from the SPA origin allows GET with Authorization and DPoP', async () => {
    const response = await h.send({
      method: 'OPTIONS',
      headers: {
        origin: SPA_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,dpop',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers['access-control-allow-origin'], SPA_ORIGIN);
    assert.equal(response.headers['access-control-allow-methods'], 'GET, OPTIONS');
    assert.equal(
      response.headers['access-control-allow-headers'],
      'Authorization, DPoP, Content-Type',
    );
    assert.match(String(response.headers['vary']), /Origin/);
  });

  test('a preflight from another origin is not allowed', async () => {
    const response = await h.send({
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal(response.headers['access-control-allow-headers'], undefined);
  });

  test('every response exposes DPoP-Nonce and WWW-Authenticate to the SPA, and varies by Origin', async () => {
    const responses = [
      await h.send({ headers: { ...(await h.validHeaders()), origin: SPA_ORIGIN } }),
      await h.send({ headers: { origin: SPA_ORIGIN } }),
      await h.send({
        headers: { ...(await h.validHeaders({ withoutNonce: true })), origin: SPA_ORIGIN },
      }),
      await h.send({ path: '/nope', headers: { origin: SPA_ORIGIN } }),
    ];
    for (const response of responses) {
      assert.equal(
        response.headers['access-control-allow-origin'],
        SPA_ORIGIN,
        `status ${response.status}`,
      );
      assert.equal(
        response.headers['access-control-expose-headers'],
        'DPoP-Nonce, WWW-Authenticate, Date',
      );
      assert.equal(response.headers['vary'], 'Origin');
    }
  });

  test('another origin gets no Access-Control-Allow-Origin', async () => {
    const response = await h.send({
      headers: { ...(await h.validHeaders()), origin: 'http://evil.example' },
    });
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });
});

describe('resource API with nonces off (API_DPOP_NONCE=off)', () => {
  const h = harnessForSuite({ nonces: false });

  test('a valid proof without a nonce gets 200 and no DPoP-Nonce header', async () => {
    const response = await h.send({ headers: await h.validHeaders() });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers['dpop-nonce'], undefined);
  });
});

describe('the issuer keys', () => {
  test('are found through discovery (jwks_uri), fetched once and cached', async () => {
    const h = await startHarness({ discoverJwks: true });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await h.send({ headers: await h.validHeaders() });
        assert.equal(response.status, 200, response.text);
      }
      assert.equal(h.issuer.jwksFetches, 1);
    } finally {
      await h.close();
    }
  });

  test('an unreachable issuer is 503 temporarily_unavailable with Retry-After, not invalid_token', async () => {
    const h = await startHarness({ discoverJwks: true, issuerOverride: 'http://127.0.0.1:9' });
    try {
      const response = await h.send({
        headers: await h.validHeaders({ token: { issuer: 'http://127.0.0.1:9' } }),
      });
      assert.equal(response.status, 503, response.text);
      assert.equal((response.body as Record<string, unknown>)['error'], 'temporarily_unavailable');
      assert.equal(response.challenge?.params['error'], 'temporarily_unavailable');
      assert.equal(response.headers['retry-after'], '5');
    } finally {
      await h.close();
    }
  });
});

describe('replay cache injection', () => {
  test('the API uses the replay cache it is given', async () => {
    const replayCache = new MemoryReplayCache();
    const h = await startHarness({ replayCache });
    try {
      assert.equal((await h.send({ headers: await h.validHeaders() })).status, 200);
      assert.equal(replayCache.size, 1);
    } finally {
      await h.close();
    }
  });
});
