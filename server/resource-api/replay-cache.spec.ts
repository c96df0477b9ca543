import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MemoryReplayCache, ReplayCacheFullError } from './replay-cache.ts';

function fakeClock(start = 1_000_000) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe('MemoryReplayCache', () => {
  test('a key is accepted once while it lives', async () => {
    const cache = new MemoryReplayCache();
    assert.equal(await cache.insertIfAbsent('a', 60_000), true);
    assert.equal(await cache.insertIfAbsent('a', 60_000), false);
    assert.equal(await cache.insertIfAbsent('b', 60_000), true);
  });

  test('an entry expires after its ttl (injected clock)', async () => {
    const clock = fakeClock();
    const cache = new MemoryReplayCache({ now: clock.now });
    await cache.insertIfAbsent('a', 1_000);
    clock.time += 999;
    assert.equal(
      await cache.insertIfAbsent('a', 1_000),
      false,
      'still remembered just before the ttl',
    );
    clock.time += 1;
    assert.equal(await cache.insertIfAbsent('a', 1_000), true, 'forgotten at the ttl');
  });

  test('expired entries are swept, so the size stays bounded by live entries', async () => {
    const clock = fakeClock();
    const cache = new MemoryReplayCache({ now: clock.now, sweepIntervalMs: 5_000 });
    for (let i = 0; i < 1_000; i += 1) await cache.insertIfAbsent(`old-${i}`, 1_000);
    assert.equal(cache.size, 1_000);
    clock.time += 6_000;
    await cache.insertIfAbsent('new', 1_000);
    assert.equal(cache.size, 1, 'the sweep on the next insert dropped the 1 000 expired entries');
  });

  test('a full cache sweeps expired entries before refusing', async () => {
    const clock = fakeClock();
    const cache = new MemoryReplayCache({
      now: clock.now,
      maxEntries: 10,
      sweepIntervalMs: 3_600_000,
    });
    for (let i = 0; i < 10; i += 1) await cache.insertIfAbsent(`k-${i}`, 1_000);
    clock.time += 1_000;
    assert.equal(await cache.insertIfAbsent('next', 1_000), true);
    assert.ok(cache.size <= 10);
  });

  test('a cache full of live entries throws rather than forget one (never more than maxEntries)', async () => {
    const cache = new MemoryReplayCache({ maxEntries: 10 });
    for (let i = 0; i < 10; i += 1) await cache.insertIfAbsent(`k-${i}`, 60_000);
    await assert.rejects(cache.insertIfAbsent('one-too-many', 60_000), ReplayCacheFullError);
    assert.equal(cache.size, 10);
    assert.equal(
      await cache.insertIfAbsent('k-3', 60_000),
      false,
      'live entries are still refused',
    );
  });

  test('concurrent inserts of one key: exactly one wins', async () => {
    const cache = new MemoryReplayCache();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.insertIfAbsent('same', 60_000)),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });
});
