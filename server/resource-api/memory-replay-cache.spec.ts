import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MemoryReplayCache, type MemoryReplayCacheOptions } from './memory-replay-cache.ts';
import { ReplayCacheFullError, ReplayLimitError, type ProofEntry } from './replay-cache.ts';
import { fingerprintOf } from './replay-table.ts';

/** Whose proofs the entries are (a client + user), and the key that signed them. */
const ALICE = 'principal-alice';
const KEY = 'key-1';

function fakeClock(start = 1_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

/** A cache on this clock, and an entry maker: `key` alive for `ttlMs` from now. */
function cacheOn(clock: { now: () => number }, options: MemoryReplayCacheOptions = {}) {
  const cache = new MemoryReplayCache({ now: clock.now, ...options });
  const insert = (key: string, ttlMs = 60_000, principal = ALICE, jkt = KEY) =>
    cache.insertIfAbsent({ key, expiresAt: clock.now() + ttlMs, principal, jkt });
  return { cache, insert };
}

/** The ReplayLimitError `run` rejects with (fails if it resolves or rejects otherwise). */
async function limitOf(run: Promise<unknown>): Promise<ReplayLimitError> {
  const refusal = await run.then(
    (value) => assert.fail(`expected a refusal, got ${String(value)}`),
    (error: unknown) => error,
  );
  assert.ok(refusal instanceof ReplayLimitError, String(refusal));
  return refusal;
}

describe('MemoryReplayCache', () => {
  test('a key is accepted once while it lives', async () => {
    const { insert } = cacheOn(fakeClock());
    assert.equal(await insert('a'), true);
    assert.equal(await insert('a'), false);
    assert.equal(await insert('b'), true);
  });

  test('an entry lives until its expiry (injected clock)', async () => {
    const clock = fakeClock();
    const { insert, cache } = cacheOn(clock);
    const entry: ProofEntry = {
      key: 'a',
      expiresAt: clock.time + 1_000,
      principal: ALICE,
      jkt: KEY,
    };
    await cache.insertIfAbsent(entry);
    clock.time += 999;
    assert.equal(await cache.insertIfAbsent(entry), false, 'still remembered just before it');
    clock.time += 1;
    assert.equal(await insert('a'), true, 'forgotten at its expiry');
  });

  test('expired entries are swept, so the size stays bounded by live entries', async () => {
    const clock = fakeClock();
    const { insert, cache } = cacheOn(clock, { sweepIntervalMs: 5_000 });
    for (let i = 0; i < 1_000; i += 1) await insert(`old-${i}`, 1_000);
    assert.equal(cache.size, 1_000);
    clock.time += 6_000;
    await insert('new', 1_000);
    assert.equal(cache.size, 1, 'the sweep on the next insert dropped the 1 000 expired entries');
  });

  test('concurrent inserts of one key: exactly one wins', async () => {
    const { insert } = cacheOn(fakeClock());
    const results = await Promise.all(Array.from({ length: 50 }, () => insert('same')));
    assert.equal(results.filter(Boolean).length, 1);
  });

  test("a principal's share: it is refused with the wait until its oldest entry expires; others are not", async () => {
    const clock = fakeClock();
    const { insert } = cacheOn(clock, { maxEntries: 100, maxEntriesPerPrincipal: 3 });
    for (let i = 0; i < 3; i += 1) assert.equal(await insert(`k-${i}`, 60_000 + i * 1_000), true);
    const refusal = await limitOf(insert('k-3'));
    assert.equal(refusal.limit, 'proofs');
    assert.equal(refusal.retryAfterMs, 60_000);
    assert.equal(await insert('k-0'), false, 'a replay is a replay');
    assert.equal(await insert('k-3', 60_000, 'principal-bob'), true);

    clock.time += 60_000;
    assert.equal(await insert('k-3'), true, 'its oldest entry expired');
  });

  test("a principal's many keys share its one share (issue 19: ten keys each under a tenth filled the cache)", async () => {
    const { insert } = cacheOn(fakeClock(), { maxEntries: 100, maxEntriesPerPrincipal: 10 });
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 100; i += 1) {
      const ok = await insert(`p-${i}`, 60_000, 'service', `key-${i % 10}`).catch((error) => {
        assert.ok(error instanceof ReplayLimitError && error.limit === 'proofs', String(error));
        return false;
      });
      if (ok) accepted += 1;
      else refused += 1;
    }
    assert.deepEqual({ accepted, refused }, { accepted: 10, refused: 90 });
    assert.equal(await insert('alice-proof'), true, 'another principal records as before');
  });

  test('a principal uses at most maxKeysPerPrincipal keys at once; its keys in use go on', async () => {
    const clock = fakeClock();
    const { insert } = cacheOn(clock, { maxKeysPerPrincipal: 2 });
    assert.equal(await insert('a', 30_000, ALICE, 'key-a'), true);
    assert.equal(await insert('b', 50_000, ALICE, 'key-b'), true);
    const refusal = await limitOf(insert('c', 60_000, ALICE, 'key-c'));
    assert.equal(refusal.limit, 'keys');
    assert.equal(refusal.count, 2);
    assert.equal(refusal.retryAfterMs, 30_000, "until key-a's newest proof expires");
    assert.equal(await insert('d', 60_000, ALICE, 'key-a'), true, 'a key in use goes on');
    assert.equal(
      await insert('e', 60_000, 'principal-bob', 'key-c'),
      true,
      'other principals are not affected',
    );

    clock.time += 50_000;
    assert.equal(await insert('f', 60_000, ALICE, 'key-c'), true, "key-b's proofs expired");
  });

  test('a full cache holds back only the principals over their part; the others still record (never 503 for them)', async () => {
    const clock = fakeClock();
    const { insert, cache } = cacheOn(clock, { maxEntries: 20, maxEntriesPerPrincipal: 16 });
    for (let i = 0; i < 15; i += 1) await insert(`heavy-${i}`, 60_000, 'heavy');
    for (let i = 0; i < 5; i += 1) await insert(`light-${i}`, 60_000, 'light');
    assert.equal(cache.size, 20, 'full');

    const heavy = await limitOf(insert('heavy-15', 60_000, 'heavy'));
    assert.equal(heavy.limit, 'full');
    assert.equal(heavy.count, 15);
    // 20 entries ÷ 2 principals: light holds 5 of its 10; a newcomer's part is 20 ÷ 3.
    assert.equal(await insert('light-5', 60_000, 'light'), true);
    assert.equal(await insert('new-0', 60_000, 'newcomer'), true);
    assert.equal(cache.size, 22, 'past maxEntries, by the light principals only');
    await limitOf(insert('heavy-16', 60_000, 'heavy'));
  });

  test('past the hard limit nothing is recorded: ReplayCacheFullError rather than forget one', async () => {
    const { insert, cache } = cacheOn(fakeClock(), { maxEntries: 10, hardLimit: 12 });
    for (let i = 0; i < 12; i += 1) assert.equal(await insert(`k-${i}`, 60_000, `p-${i}`), true);
    await assert.rejects(insert('one-too-many', 60_000, 'p-new'), ReplayCacheFullError);
    assert.equal(cache.size, 12);
    assert.equal(await insert('k-3', 60_000, 'p-3'), false, 'live entries are still refused');
  });

  test('a full cache sweeps expired entries before refusing', async () => {
    const clock = fakeClock();
    const { insert, cache } = cacheOn(clock, {
      maxEntries: 10,
      maxEntriesPerPrincipal: 10,
      sweepIntervalMs: 3_600_000,
    });
    for (let i = 0; i < 10; i += 1) await insert(`k-${i}`, 1_000);
    clock.time += 1_000;
    assert.equal(await insert('next', 1_000), true);
    assert.ok(cache.size <= 10);
  });

  test('the default share is a tenth of the capacity', async () => {
    const { insert } = cacheOn(fakeClock(), { maxEntries: 50 });
    for (let i = 0; i < 5; i += 1) await insert(`k-${i}`);
    assert.equal((await limitOf(insert('k-5'))).limit, 'proofs');
  });

  test('keys whose fingerprints share a slot are told apart, and found again after they move', async () => {
    const { insert } = cacheOn(fakeClock(), { maxEntriesPerPrincipal: 10_000 });
    // 3,000 keys: the table grows twice (sweeps that move every entry) on the way.
    const keys = Array.from({ length: 3_000 }, (_, i) => `proof-${i}`);
    for (const key of keys) assert.equal(await insert(key), true);
    for (const key of keys) assert.equal(await insert(key), false);
    const slots = new Set(keys.map((key) => fingerprintOf(key).low & 4095));
    assert.ok(slots.size < keys.length, 'some keys share a home slot, so probing was needed');
  });

  test('an expired entry in a probe chain is reused, and keys after it are still found', async () => {
    const clock = fakeClock();
    const { insert, cache } = cacheOn(clock, { maxEntriesPerPrincipal: 10_000 });
    for (let i = 0; i < 400; i += 1) await insert(`short-${i}`, 1_000);
    for (let i = 0; i < 400; i += 1) await insert(`long-${i}`, 60_000);
    clock.time += 1_000;
    for (let i = 0; i < 400; i += 1) await insert(`new-${i}`, 60_000);
    assert.ok(cache.size < 1_200, 'expired slots were taken again');
    for (let i = 0; i < 400; i += 1) {
      assert.equal(await insert(`long-${i}`, 60_000), false);
      assert.equal(await insert(`new-${i}`, 60_000), false);
    }
  });
});
