import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MemoryReplayCache, type MemoryReplayCacheOptions } from './memory-replay-cache.ts';
import { ReplayCacheFullError, ReplayShareExceededError } from './replay-cache.ts';
import { fingerprintOf } from './replay-table.ts';

/** Whose proofs the entries are: a proof key's thumbprint. */
const OWNER = 'key-1';

function fakeClock(start = 1_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

/** A cache on this clock. */
const cacheOn = (clock: { now: () => number }, options: MemoryReplayCacheOptions = {}) =>
  new MemoryReplayCache({ now: clock.now, ...options });

describe('MemoryReplayCache', () => {
  test('a key is accepted once while it lives', async () => {
    const cache = new MemoryReplayCache();
    assert.equal(await cache.insertIfAbsent('a', 60_000, OWNER), true);
    assert.equal(await cache.insertIfAbsent('a', 60_000, OWNER), false);
    assert.equal(await cache.insertIfAbsent('b', 60_000, OWNER), true);
  });

  test('an entry expires after its ttl (injected clock)', async () => {
    const clock = fakeClock();
    const cache = cacheOn(clock);
    await cache.insertIfAbsent('a', 1_000, OWNER);
    clock.time += 999;
    assert.equal(
      await cache.insertIfAbsent('a', 1_000, OWNER),
      false,
      'still remembered just before the ttl',
    );
    clock.time += 1;
    assert.equal(await cache.insertIfAbsent('a', 1_000, OWNER), true, 'forgotten at the ttl');
  });

  test('expired entries are swept, so the size stays bounded by live entries', async () => {
    const clock = fakeClock();
    const cache = cacheOn(clock, { sweepIntervalMs: 5_000, maxEntriesPerOwner: 1_000 });
    for (let i = 0; i < 1_000; i += 1) await cache.insertIfAbsent(`old-${i}`, 1_000, OWNER);
    assert.equal(cache.size, 1_000);
    clock.time += 6_000;
    await cache.insertIfAbsent('new', 1_000, OWNER);
    assert.equal(cache.size, 1, 'the sweep on the next insert dropped the 1 000 expired entries');
  });

  test('a full cache sweeps expired entries before refusing', async () => {
    const clock = fakeClock();
    const cache = cacheOn(clock, {
      maxEntries: 10,
      maxEntriesPerOwner: 10,
      sweepIntervalMs: 3_600_000,
    });
    for (let i = 0; i < 10; i += 1) await cache.insertIfAbsent(`k-${i}`, 1_000, OWNER);
    clock.time += 1_000;
    assert.equal(await cache.insertIfAbsent('next', 1_000, OWNER), true);
    assert.ok(cache.size <= 10);
  });

  test('a cache full of live entries throws rather than forget one (never more than maxEntries)', async () => {
    const cache = new MemoryReplayCache({ maxEntries: 10 });
    for (let i = 0; i < 10; i += 1) await cache.insertIfAbsent(`k-${i}`, 60_000, `key-${i}`);
    await assert.rejects(
      cache.insertIfAbsent('one-too-many', 60_000, 'key-x'),
      ReplayCacheFullError,
    );
    assert.equal(cache.size, 10);
    assert.equal(
      await cache.insertIfAbsent('k-3', 60_000, 'key-3'),
      false,
      'live entries are still refused',
    );
  });

  test('concurrent inserts of one key: exactly one wins', async () => {
    const cache = new MemoryReplayCache();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.insertIfAbsent('same', 60_000, OWNER)),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });

  test("one key's share: that key is refused with the wait until its oldest entry expires; other keys are not", async () => {
    const clock = fakeClock();
    const cache = cacheOn(clock, { maxEntries: 100, maxEntriesPerOwner: 3 });
    for (let i = 0; i < 3; i += 1) {
      assert.equal(await cache.insertIfAbsent(`k-${i}`, 60_000 + i * 1_000, OWNER), true);
    }
    const refusal = await cache.insertIfAbsent('k-3', 60_000, OWNER).catch((error) => error);
    assert.ok(refusal instanceof ReplayShareExceededError, String(refusal));
    assert.equal(refusal.retryAfterMs, 60_000);
    assert.equal(await cache.insertIfAbsent('k-0', 60_000, OWNER), false, 'a replay is a replay');
    assert.equal(await cache.insertIfAbsent('k-3', 60_000, 'key-2'), true);

    clock.time += 60_000;
    assert.equal(
      await cache.insertIfAbsent('k-3', 60_000, OWNER),
      true,
      'its oldest entry expired',
    );
  });

  test('the default share is a tenth of the capacity', async () => {
    const cache = new MemoryReplayCache({ maxEntries: 50 });
    for (let i = 0; i < 5; i += 1) await cache.insertIfAbsent(`k-${i}`, 60_000, OWNER);
    await assert.rejects(cache.insertIfAbsent('k-5', 60_000, OWNER), ReplayShareExceededError);
  });

  test('keys whose fingerprints share a slot are told apart, and found again after they move', async () => {
    const clock = fakeClock();
    const cache = cacheOn(clock, { maxEntriesPerOwner: 10_000 });
    // 3,000 keys: the table grows twice (sweeps that move every entry) on the way.
    const keys = Array.from({ length: 3_000 }, (_, i) => `proof-${i}`);
    for (const key of keys) assert.equal(await cache.insertIfAbsent(key, 60_000, OWNER), true);
    for (const key of keys) assert.equal(await cache.insertIfAbsent(key, 60_000, OWNER), false);
    const slots = new Set(keys.map((key) => fingerprintOf(key).low & 4095));
    assert.ok(slots.size < keys.length, 'some keys share a home slot, so probing was needed');
  });

  test('an expired entry in a probe chain is reused, and keys after it are still found', async () => {
    const clock = fakeClock();
    const cache = cacheOn(clock, { maxEntriesPerOwner: 10_000 });
    for (let i = 0; i < 400; i += 1) await cache.insertIfAbsent(`short-${i}`, 1_000, OWNER);
    for (let i = 0; i < 400; i += 1) await cache.insertIfAbsent(`long-${i}`, 60_000, OWNER);
    clock.time += 1_000;
    for (let i = 0; i < 400; i += 1) await cache.insertIfAbsent(`new-${i}`, 60_000, OWNER);
    assert.ok(cache.size < 1_200, 'expired slots were taken again');
    for (let i = 0; i < 400; i += 1) {
      assert.equal(await cache.insertIfAbsent(`long-${i}`, 60_000, OWNER), false);
      assert.equal(await cache.insertIfAbsent(`new-${i}`, 60_000, OWNER), false);
    }
  });
});
