/**
 * No client's many keys can use up the replay cache (issue 19, finding 1). The share belongs to
 * the principal, the token's client + user, not to the proof key: ten keys of the published
 * service client once sent 99,990 valid proofs, each key under its tenth, and every other caller
 * then got 503 for five minutes. Here the cache holds 2,000 entries (so a share is 200) and the
 * service client's ten keys send 2,000 valid proofs, the same proportion as 100,000 to the default
 * cache: the service client gets 429 with Retry-After past its share, and alice is served.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createProofKey, type ProofKey } from '@dpop-lab/protocol';

import { readConfig, SERVICE_CLIENT, SPA_CLIENT_ID } from '../config.ts';
import { MemoryReplayCache } from './memory-replay-cache.ts';
import { ReplayLimitError, type ProofEntry, type ReplayCache } from './replay-cache.ts';
import { openReplayStore } from './replay-store.ts';
import { harnessForSuite, type Harness } from './testing/api-harness.ts';

/** A DPoP client of the API: its own key, and a token bound to it for this client and user. */
async function caller(h: Harness, clientId: string, subject: string) {
  const key = await createProofKey();
  const accessToken = await h.token({ jkt: key.thumbprint, clientId, subject, scope: 'apps:read' });
  return { key, accessToken };
}

const getApps = async (h: Harness, { key, accessToken }: { key: ProofKey; accessToken: string }) =>
  h.send({
    path: '/api/apps',
    headers: await h.validHeaders({ path: '/api/apps', accessToken, proof: { key } }),
  });

describe("each principal's share of the replay cache (2,000 entries)", () => {
  const h = harnessForSuite({ replayCache: new MemoryReplayCache({ maxEntries: 2_000 }) });

  test("ten keys of the service client send 2,000 valid proofs: it gets 429 past its 200, alice's calls get 200 throughout", async () => {
    const service = await Promise.all(
      Array.from({ length: 10 }, () => caller(h, SERVICE_CLIENT.id, SERVICE_CLIENT.id)),
    );
    const alice = await caller(h, SPA_CLIENT_ID, 'alice');
    const statuses = new Map<number, number>();
    let lastRefusal: Awaited<ReturnType<typeof getApps>> | undefined;
    const aliceStatuses: number[] = [];
    // Ten at a time, one per key; alice calls after every hundred.
    for (let round = 0; round < 200; round += 1) {
      const answers = await Promise.all(service.map((key) => getApps(h, key)));
      for (const answer of answers) {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 429) lastRefusal = answer;
      }
      if (round % 10 === 9) aliceStatuses.push((await getApps(h, alice)).status);
    }
    assert.deepEqual(Object.fromEntries(statuses), { 200: 200, 429: 1_800 });
    assert.deepEqual(new Set(aliceStatuses), new Set([200]), `alice: ${aliceStatuses.join(' ')}`);

    const body = lastRefusal!.body as Record<string, unknown>;
    assert.equal(body['error'], 'too_many_requests');
    assert.match(String(body['error_description']), /has 200 DPoP proofs for this user/);
    const retryAfter = Number(lastRefusal!.headers['retry-after']);
    // With nonces on an entry lives until its nonce turns stale: two minutes at most (+1 s).
    assert.ok(retryAfter > 0 && retryAfter <= 121, `Retry-After ${retryAfter}`);
  });
});

describe('proof keys per principal', () => {
  const h = harnessForSuite({
    replayCache: new MemoryReplayCache({ maxKeysPerPrincipal: 2 }),
  });

  test('a third key of one client and user at once gets 429; its first keys, and other users, go on', async () => {
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map(() => caller(h, SERVICE_CLIENT.id, SERVICE_CLIENT.id)),
    );
    assert.equal((await getApps(h, first!)).status, 200);
    assert.equal((await getApps(h, second!)).status, 200);
    const refused = await getApps(h, third!);
    assert.equal(refused.status, 429, refused.text);
    assert.match(
      String((refused.body as Record<string, unknown>)['error_description']),
      /uses 2 DPoP keys/,
    );
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal((await getApps(h, first!)).status, 200);
    assert.equal((await getApps(h, await caller(h, SPA_CLIENT_ID, 'bob'))).status, 200);
  });
});

describe('how long a proof is remembered', () => {
  const entries: ProofEntry[] = [];
  const memory = new MemoryReplayCache();
  const spy: ReplayCache = {
    insertIfAbsent: (entry) => (entries.push(entry), memory.insertIfAbsent(entry)),
  };
  const h = harnessForSuite({ replayCache: spy });

  test('with nonces on, until its nonce turns stale (1–2 minutes), not the 300 s iat window; a replay after that is use_dpop_nonce', async () => {
    const accessToken = await h.token();
    const nonce = h.nonce();
    const headers = await h.validHeaders({ accessToken, proof: { nonce } });
    assert.equal((await h.send({ headers })).status, 200);
    const step = Number(nonce.split('.')[0]);
    assert.equal(entries.at(-1)!.expiresAt, (step + 2) * 60_000 + 1_000);
    assert.ok(entries.at(-1)!.expiresAt - h.clock.now() <= 121_000);

    h.clock.offsetMs = (step + 2) * 60_000 - Date.now();
    const replay = await h.send({ headers });
    assert.equal(replay.status, 401);
    assert.equal(replay.challenge?.params['error'], 'use_dpop_nonce');
  });
});

test('API_REPLAY_CAPACITY sizes the in-memory cache, and a principal gets a tenth of it', async () => {
  const capacity = readConfig({ API_REPLAY_CAPACITY: '100' }).apiReplayCapacity;
  assert.equal(capacity, 100);
  assert.throws(() => readConfig({ API_REPLAY_CAPACITY: 'lots' }), /API_REPLAY_CAPACITY=lots/);
  const { cache } = openReplayStore({ kind: 'memory' }, { capacity });
  const entry = (i: number) => ({
    key: `k-${i}`,
    expiresAt: Date.now() + 60_000,
    principal: 'service',
    jkt: 'key-1',
  });
  for (let i = 0; i < 10; i += 1) assert.equal(await cache.insertIfAbsent(entry(i)), true);
  await assert.rejects(cache.insertIfAbsent(entry(10)), ReplayLimitError);
});
