/**
 * One proof key cannot use up the replay cache (issue 12): each key may hold a share of it (a
 * tenth; here 2 of 20 entries), and a key over its share gets 429 with Retry-After while every
 * other key's requests go on. Before, one client with a valid token filled the whole cache and
 * every DPoP request got 503.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createProofKey } from '@dpop-lab/protocol';
import { MemoryReplayCache } from './memory-replay-cache.ts';
import { harnessForSuite } from './testing/api-harness.ts';

describe("each proof key's share of the replay cache", () => {
  const h = harnessForSuite({ replayCache: new MemoryReplayCache({ maxEntries: 20 }) });

  test('a key that fills its share gets 429 with Retry-After; another key still gets 200', async () => {
    const flooder = await createProofKey();
    const flooderToken = await h.token({ jkt: flooder.thumbprint });
    const flood = async () =>
      h.send({
        headers: await h.validHeaders({ accessToken: flooderToken, proof: { key: flooder } }),
      });
    assert.equal((await flood()).status, 200);
    assert.equal((await flood()).status, 200);

    const refused = await flood();
    assert.equal(refused.status, 429, refused.text);
    const body = refused.body as Record<string, unknown>;
    assert.equal(body['error'], 'too_many_requests');
    assert.match(String(body['error_description']), /This DPoP key has 2 proofs .* retry in \d+ s/);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 316, `Retry-After ${retryAfter}`);

    const other = await h.send({ headers: await h.validHeaders() });
    assert.equal(other.status, 200, other.text);
  });
});
