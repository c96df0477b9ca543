/**
 * The cache of verified access tokens (./access-token-cache.ts): a session's token is verified
 * once, yet every request still checks exp, the binding to its proof key and the scope; a cached
 * token goes when the issuer's keys change, at its exp, and when the cache is full.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createProofKey } from '@dpop-lab/protocol';
import { AccessTokenCache } from './access-token-cache.ts';
import { harnessForSuite, startHarness } from './testing/api-harness.ts';
import { accessTokenWith } from './testing/access-token-with.ts';

describe('verified access tokens, cached by ath', () => {
  const cache = new AccessTokenCache(3);
  const h = harnessForSuite({ api: { accessTokenCache: cache, jwksCooldownMs: 0 } });

  test('one token, many requests: verified once, each request with a fresh proof accepted', async () => {
    const accessToken = await h.token();
    const before = cache.size;
    for (let i = 0; i < 3; i += 1) {
      const response = await h.send({ headers: await h.validHeaders({ accessToken }) });
      assert.equal(response.status, 200, response.text);
    }
    assert.equal(cache.size, before + 1);
  });

  test('a cached token with a proof signed by another key is refused (cnf.jkt checked)', async () => {
    const accessToken = await h.token();
    assert.equal((await h.send({ headers: await h.validHeaders({ accessToken }) })).status, 200);
    const other = await createProofKey();
    const response = await h.send({
      headers: await h.validHeaders({ accessToken, proof: { key: other } }),
    });
    assert.equal(response.status, 401, response.text);
    assert.match(response.challenge?.params['error_description'] ?? '', /different key/);
  });

  test('a cached token on a resource its scope does not cover is 403', async () => {
    const accessToken = await h.token({ scope: 'users:read' });
    assert.equal((await h.send({ headers: await h.validHeaders({ accessToken }) })).status, 200);
    const path = '/api/apps';
    const response = await h.send({ path, headers: await h.validHeaders({ path, accessToken }) });
    assert.equal(response.status, 403, response.text);
  });

  test('a cached token is refused once it expires', async () => {
    const accessToken = await h.token({ expiresIn: 60 });
    assert.equal((await h.send({ headers: await h.validHeaders({ accessToken }) })).status, 200);
    h.clock.offsetMs += 61_000;
    try {
      const response = await h.send({ headers: await h.validHeaders({ accessToken }) });
      assert.equal(response.status, 401, response.text);
      assert.match(response.challenge?.params['error_description'] ?? '', /expired/);
    } finally {
      h.clock.offsetMs -= 61_000;
    }
  });

  test("a cached token goes when the issuer's keys change: signed with a removed key, refused", async () => {
    const oldToken = await h.token();
    assert.equal(
      (await h.send({ headers: await h.validHeaders({ accessToken: oldToken }) })).status,
      200,
    );
    await h.issuer.rotateKey();
    // A token with the new key's kid makes the API fetch the new key set.
    const newToken = await h.token();
    assert.equal(
      (await h.send({ headers: await h.validHeaders({ accessToken: newToken }) })).status,
      200,
    );
    const response = await h.send({ headers: await h.validHeaders({ accessToken: oldToken }) });
    assert.equal(response.status, 401, response.text);
    assert.match(
      response.challenge?.params['error_description'] ?? '',
      /signature does not verify/,
    );
  });

  test('the cache holds at most its size', async () => {
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await h.send({ headers: await h.validHeaders() })).status, 200);
    }
    assert.equal(cache.size, 3);
  });
});

describe('AccessTokenCache', () => {
  const now = 1_800_000_000_000;
  const token = accessTokenWith({ expiresAt: now / 1000 + 60 });

  test('an entry is never kept past the token’s exp, even when asked to keep it longer', () => {
    const cache = new AccessTokenCache();
    cache.set('hash', token, 0, now + 3_600_000);
    assert.equal(cache.get('hash', now + 59_999, 0), token);
    assert.equal(cache.get('hash', now + 60_000, 0), undefined);
    assert.equal(cache.size, 0);
  });

  test('an introspection answer is used until its recheck time, and known until exp', () => {
    const cache = new AccessTokenCache();
    cache.set('hash', token, 0, now + 30_000);
    assert.equal(cache.get('hash', now + 29_999, 0), token);
    assert.equal(cache.get('hash', now + 30_000, 0), undefined, 'due to be asked again');
    assert.equal(cache.knows('hash', now + 59_999), true, 'seen active: no new token');
    assert.equal(cache.knows('hash', now + 60_000), false);
    assert.equal(cache.knows('other', now), false);
  });

  test('an entry made under other issuer keys is not returned', () => {
    const cache = new AccessTokenCache();
    cache.set('hash', token, 1);
    assert.equal(cache.get('hash', now, 2), undefined);
  });
});

test('a failed verification is not cached: the same token stays refused', async () => {
  const cache = new AccessTokenCache();
  const h = await startHarness({ api: { accessTokenCache: cache } });
  try {
    const accessToken = await h.token({ forged: true });
    for (let i = 0; i < 2; i += 1) {
      assert.equal((await h.send({ headers: await h.validHeaders({ accessToken }) })).status, 401);
    }
    assert.equal(cache.size, 0);
  } finally {
    await h.close();
  }
});
