/**
 * Opaque access tokens checked by token introspection (RFC 7662), against a test issuer whose
 * introspection endpoint answers what each test says: the answer must be active and carry
 * `cnf.jkt` (RFC 9449 §6.2); an endpoint that hangs up or is slow is a 503 the client can read,
 * and nothing is cached; answers are cached briefly, bounded, and never past `exp`.
 * (opaque-tokens.spec.ts runs the same path against the real authorization server.)
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, test } from 'node:test';

import { BEARER_CLIENT_ID } from '../config.ts';
import { AccessTokenCache } from './access-token-cache.ts';
import { harnessForSuite, type Harness } from './testing/api-harness.ts';
import { activeAnswer } from './testing/introspection-answer.ts';

type Answer = Record<string, unknown> | 'hang up' | Promise<Record<string, unknown> | 'hang up'>;

let answer: (token: string, h: Harness) => Answer;
const asked = new Map<string, number>();
let opaqueTokens = 0;

describe('opaque access tokens, by introspection', () => {
  const cache = new AccessTokenCache(4);
  const h: Harness = harnessForSuite({
    shapes: ['opaque'],
    issuer: {
      introspection: (token) => {
        asked.set(token, (asked.get(token) ?? 0) + 1);
        return answer(token, h);
      },
    },
    api: { accessTokenCache: cache, introspectionTimeoutMs: 1_500, log: () => undefined },
  });
  /** What the issuer would say about a valid token bound to the harness key. */
  const active = (changes: Record<string, unknown> = {}) => activeAnswer(h, changes);
  const call = async (accessToken: string) =>
    h.send({ headers: await h.validHeaders({ accessToken }) });
  const newToken = () => `opaque-${++opaqueTokens}-${Math.random().toString(36).slice(2)}`;

  beforeEach(() => {
    answer = () => active();
  });

  test('an active, bound token is accepted; the answer is cached (asked once for two requests)', async () => {
    const token = newToken();
    assert.equal((await call(token)).status, 200);
    assert.equal((await call(token)).status, 200);
    assert.equal(asked.get(token), 1);
  });

  test('active: false is 401 invalid_token', async () => {
    answer = () => ({ active: false });
    const response = await call(newToken());
    assert.equal(response.status, 401, response.text);
    assert.match(response.challenge?.params['error_description'] ?? '', /not active/);
  });

  test('an answer without cnf (an unbound token) is refused under DPoP', async () => {
    answer = () => active({ cnf: undefined });
    const response = await call(newToken());
    assert.equal(response.status, 401, response.text);
    assert.match(response.challenge?.params['error_description'] ?? '', /not DPoP-bound/);
  });

  test('an answer for another key, or another audience, is refused', async () => {
    answer = () => active({ cnf: { jkt: 'another-key-thumbprint' } });
    assert.equal((await call(newToken())).status, 401);
    answer = () => active({ aud: 'https://other.example/api' });
    assert.equal((await call(newToken())).status, 401);
  });

  test('an endpoint that hangs up is 503 with a challenge, and nothing is cached', async () => {
    const token = newToken();
    answer = () => 'hang up';
    const response = await call(token);
    assert.equal(response.status, 503, response.text);
    assert.equal(response.challenge?.params['error'], 'temporarily_unavailable');
    assert.equal(response.headers['retry-after'], '5');
    answer = () => active();
    assert.equal((await call(token)).status, 200, 'asked again once the endpoint answers');
    assert.equal(asked.get(token), 2);
  });

  test('an endpoint slower than the timeout is 503', async () => {
    answer = async () => (await sleep(3_000), active());
    const response = await call(newToken());
    assert.equal(response.status, 503, response.text);
    assert.match(
      response.challenge?.params['error_description'] ?? '',
      /no answer .*within 1500 ms/,
    );
  });

  test('an answer is not kept past the exp it gave', async () => {
    const token = newToken();
    answer = () => active({ exp: Math.floor(h.clock.now() / 1000) + 5 });
    assert.equal((await call(token)).status, 200);
    h.clock.offsetMs += 6_000;
    try {
      // Had the answer been kept, its exp would refuse the token; asked again, it is active.
      answer = () => active();
      assert.equal((await call(token)).status, 200);
      assert.equal(asked.get(token), 2);
    } finally {
      h.clock.offsetMs -= 6_000;
    }
  });

  test('an answer is trusted for 30 s at most, so a revoked token is refused after that', async () => {
    const token = newToken();
    assert.equal((await call(token)).status, 200);
    answer = () => ({ active: false });
    assert.equal((await call(token)).status, 200, 'within 30 s the cached answer stands');
    h.clock.offsetMs += 31_000;
    try {
      assert.equal((await call(token)).status, 401);
    } finally {
      h.clock.offsetMs -= 31_000;
    }
  });

  test("the walkthrough's bearer client: its unbound opaque token works as Bearer, a bound one never", async () => {
    const bearer = (token: string) => h.send({ headers: { authorization: `Bearer ${token}` } });
    answer = () => active({ cnf: undefined, client_id: BEARER_CLIENT_ID });
    assert.equal((await bearer(newToken())).status, 200);
    answer = () => active({ client_id: BEARER_CLIENT_ID });
    const bound = await bearer(newToken());
    assert.equal(bound.status, 401, bound.text);
    assert.match(
      bound.challenge?.params['error_description'] ?? '',
      /DPoP-bound .* sent as Bearer/,
    );
  });

  test('the cache of answers is bounded', async () => {
    for (let i = 0; i < 6; i += 1) assert.equal((await call(newToken())).status, 200);
    assert.equal(cache.size, 4);
  });
});
