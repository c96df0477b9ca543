/**
 * RedisReplayCache against a real redis-server (started by this file on a free loopback port):
 * insert-if-absent semantics, expiry, atomicity across connections, each proof key's share, and
 * failing closed — fast — while
 * Redis is stopped or frozen, with the outage logged once per interval and recovery by itself.
 * Also the API_REPLAY_STORE setting (parseReplayStore) and its start-up errors.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';

import { createClient } from 'redis';

import { readConfig } from '../config.ts';
import { startResourceApi } from './create-resource-api.ts';
import {
  DEFAULT_REDIS_KEY_PREFIX,
  RedisReplayCache,
  redactRedisUrl,
  ReplayStoreUnavailableError,
  type RedisReplayCacheOptions,
} from './redis-replay-cache.ts';
import { ReplayLimitError } from './replay-cache.ts';
import { parseReplayStore } from './replay-store.ts';
import { startRedisOrSkip } from './testing/redis-server.ts';

const { redis, skip } = await startRedisOrSkip();
/** The principal (client + user) the entries belong to, and the proof key that signed them. */
const OWNER = 'principal-1';
const KEY = 'key-1';
/** An entry for `key` that lives `ttlMs` from now. */
const entry = (key: string, ttlMs: number, principal: string, jkt = KEY) => ({
  key,
  expiresAt: Date.now() + ttlMs,
  principal,
  jkt,
});
if (skip) console.log(`# SKIPPED shared replay cache tests: ${skip}`);

/** Polls `probe` every 50 ms until it returns true, for at most `ms`. */
async function eventually(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  assert.fail(`${what} did not happen within ${ms} ms`);
}

describe('RedisReplayCache (real redis-server)', { skip }, () => {
  const caches: RedisReplayCache[] = [];
  const open = async (options: Partial<RedisReplayCacheOptions> = {}) => {
    const cache = new RedisReplayCache({
      url: redis!.url,
      keyPrefix: `test:${randomUUID()}:`,
      log: () => undefined,
      ...options,
    });
    caches.push(cache);
    return cache;
  };
  after(async () => {
    await Promise.all(caches.map((cache) => cache.close()));
    await redis?.close();
  });

  test('a key is recorded once; a second insert is refused; another key is new', async () => {
    const cache = await open();
    await cache.whenReady();
    assert.equal(await cache.insertIfAbsent(entry('a', 60_000, OWNER)), true);
    assert.equal(await cache.insertIfAbsent(entry('a', 60_000, OWNER)), false);
    assert.equal(await cache.insertIfAbsent(entry('b', 60_000, OWNER)), true);
  });

  test("the entry is in its principal's sorted set under the prefix, scored with its expiry; the key in its key set; both expire with it", async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const cache = await open({ keyPrefix });
    await cache.whenReady();
    const before = Date.now();
    await cache.insertIfAbsent(entry('k', 42_000, OWNER));
    const raw = createClient({ url: redis!.url });
    await raw.connect();
    try {
      const score = await raw.zScore(`${keyPrefix}{${OWNER}}:proofs`, 'k');
      assert.ok(
        score !== null && score >= before + 42_000 && score <= Date.now() + 42_000,
        `score ${score}`,
      );
      assert.equal(await raw.zScore(`${keyPrefix}{${OWNER}}:keys`, KEY), score);
      for (const set of ['proofs', 'keys']) {
        const pttl = await raw.pTTL(`${keyPrefix}{${OWNER}}:${set}`);
        assert.ok(pttl > 40_000 && pttl <= 42_000, `PTTL of ${set} ${pttl}`);
      }
    } finally {
      raw.destroy();
    }
    assert.equal(DEFAULT_REDIS_KEY_PREFIX, 'dpop-lab:dpop-proof:');
  });

  test("a principal's share, whatever its keys: it is refused with the wait until its oldest entry expires; another principal is not", async () => {
    const cache = await open({ maxEntriesPerPrincipal: 3 });
    await cache.whenReady();
    for (let i = 0; i < 3; i += 1)
      assert.equal(await cache.insertIfAbsent(entry(`k${i}`, 60_000, OWNER, `key-${i}`)), true);
    const refusal = await cache
      .insertIfAbsent(entry('k3', 60_000, OWNER, 'key-3'))
      .catch((error: unknown) => error);
    assert.ok(refusal instanceof ReplayLimitError, String(refusal));
    assert.equal(refusal.limit, 'proofs');
    assert.equal(refusal.count, 3);
    assert.ok(
      refusal.retryAfterMs > 50_000 && refusal.retryAfterMs <= 60_000,
      `${refusal.retryAfterMs}`,
    );
    assert.equal(
      await cache.insertIfAbsent(entry('k0', 60_000, OWNER)),
      false,
      'a replay is still a replay',
    );
    assert.equal(await cache.insertIfAbsent(entry('k3', 60_000, 'principal-2')), true);
  });

  test('a principal uses at most maxKeysPerPrincipal keys at once; its keys in use go on', async () => {
    const cache = await open({ maxKeysPerPrincipal: 2 });
    await cache.whenReady();
    assert.equal(await cache.insertIfAbsent(entry('a', 30_000, OWNER, 'key-a')), true);
    assert.equal(await cache.insertIfAbsent(entry('b', 50_000, OWNER, 'key-b')), true);
    const refusal = await cache
      .insertIfAbsent(entry('c', 60_000, OWNER, 'key-c'))
      .catch((error: unknown) => error);
    assert.ok(refusal instanceof ReplayLimitError, String(refusal));
    assert.equal(refusal.limit, 'keys');
    assert.equal(refusal.count, 2);
    assert.ok(
      refusal.retryAfterMs > 25_000 && refusal.retryAfterMs <= 30_000,
      `until key-a's proof expires: ${refusal.retryAfterMs}`,
    );
    assert.equal(await cache.insertIfAbsent(entry('d', 60_000, OWNER, 'key-a')), true);
    assert.equal(await cache.insertIfAbsent(entry('c', 60_000, 'principal-2', 'key-c')), true);
  });

  test('an entry expires after its ttl, then the key is new again', async () => {
    const cache = await open();
    await cache.whenReady();
    assert.equal(await cache.insertIfAbsent(entry('short', 100, OWNER)), true);
    assert.equal(await cache.insertIfAbsent(entry('short', 100, OWNER)), false, 'still remembered');
    await sleep(250);
    assert.equal(
      await cache.insertIfAbsent(entry('short', 100, OWNER)),
      true,
      'forgotten after the ttl',
    );
  });

  test('50 concurrent inserts of one key over two connections: exactly one wins', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const [a, b] = [await open({ keyPrefix }), await open({ keyPrefix })];
    await Promise.all([a!.whenReady(), b!.whenReady()]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a! : b!).insertIfAbsent(entry('same', 60_000, OWNER)),
      ),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });

  test('Redis over maxmemory (noeviction): the insert is refused, 503, not written; below it, accepted again', async () => {
    const cache = await open();
    await cache.whenReady();
    const admin = createClient({ url: redis!.url });
    await admin.connect();
    try {
      await admin.configSet({ 'maxmemory-policy': 'noeviction', maxmemory: '1' });
      await assert.rejects(cache.insertIfAbsent(entry('full', 60_000, OWNER)), (error: Error) => {
        assert.ok(error instanceof ReplayStoreUnavailableError);
        assert.match(error.message, /OOM/);
        return true;
      });
    } finally {
      await admin.configSet('maxmemory', '0');
      await admin.close();
    }
    assert.equal(await cache.insertIfAbsent(entry('full', 60_000, OWNER)), true);
  });

  test('unreachable Redis: inserts fail at once (no queueing), logged once per interval', async () => {
    const logs: string[] = [];
    const clock = { time: 1_000_000 };
    // A port nothing listens on: every connection attempt is refused.
    const cache = await open({
      url: 'redis://127.0.0.1:1',
      log: (message) => logs.push(message),
      logIntervalMs: 30_000,
      now: () => clock.time,
    });
    const started = Date.now();
    for (let i = 0; i < 20; i += 1) {
      await assert.rejects(
        cache.insertIfAbsent(entry(`k${i}`, 60_000, OWNER)),
        ReplayStoreUnavailableError,
      );
    }
    assert.ok(Date.now() - started < 1_000, `20 refusals took ${Date.now() - started} ms`);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /redis:\/\/127\.0\.0\.1:1 is unavailable .*503/);

    clock.time += 30_000;
    await assert.rejects(
      cache.insertIfAbsent(entry('later', 60_000, OWNER)),
      ReplayStoreUnavailableError,
    );
    assert.equal(logs.length, 2, logs.join('\n'));
    assert.match(logs[1]!, /still unavailable after 30 s .*21 DPoP requests refused/);
  });

  test('Redis stopped: inserts fail fast; restarted on the same port: accepted again, logged once each way', async () => {
    const logs: string[] = [];
    const cache = await open({ log: (message) => logs.push(message) });
    await cache.whenReady();
    assert.equal(await cache.insertIfAbsent(entry('before', 60_000, OWNER)), true);

    await redis!.stop();
    await eventually(async () => !cache.isReady, 2_000, 'the client noticing the stop');
    for (let i = 0; i < 10; i += 1) {
      const started = Date.now();
      await assert.rejects(
        cache.insertIfAbsent(entry(`down-${i}`, 60_000, OWNER)),
        ReplayStoreUnavailableError,
      );
      assert.ok(Date.now() - started < 200, `a refusal took ${Date.now() - started} ms`);
    }

    await redis!.restart();
    await eventually(() => cache.insertIfAbsent(entry('after', 60_000, OWNER)), 5_000, 'recovery');
    assert.equal(
      await cache.insertIfAbsent(entry('after', 60_000, OWNER)),
      false,
      'NX again after recovery',
    );
    assert.equal(logs.filter((line) => /is unavailable/.test(line)).length, 1, logs.join('\n'));
    assert.equal(logs.filter((line) => /available again/.test(line)).length, 1, logs.join('\n'));
  });

  test('Redis frozen (open connection, no answers): an insert fails after the command timeout', async () => {
    const cache = await open({ commandTimeoutMs: 200 });
    await cache.whenReady();
    redis!.freeze();
    try {
      const started = Date.now();
      await assert.rejects(
        cache.insertIfAbsent(entry('frozen', 60_000, OWNER)),
        ReplayStoreUnavailableError,
      );
      const took = Date.now() - started;
      assert.ok(took >= 150 && took < 1_000, `the refusal took ${took} ms`);
    } finally {
      redis!.thaw();
    }
    // The late reply to the timed-out command must not be taken as the reply to the next one.
    await eventually(
      () => cache.insertIfAbsent(entry('thawed', 60_000, OWNER)),
      2_000,
      'answers after thaw',
    );
    assert.equal(await cache.insertIfAbsent(entry('thawed', 60_000, OWNER)), false);
  });
});

describe('API_REPLAY_STORE', () => {
  test('unset, empty or "memory" is the in-memory cache', () => {
    assert.deepEqual(parseReplayStore(undefined), { kind: 'memory' });
    assert.deepEqual(parseReplayStore(' '), { kind: 'memory' });
    assert.deepEqual(parseReplayStore('memory'), { kind: 'memory' });
    assert.equal(readConfig({}).apiReplayStore, undefined);
    assert.equal(
      readConfig({ API_REPLAY_STORE: 'redis://10.0.0.5:6379' }).apiReplayStore,
      'redis://10.0.0.5:6379',
    );
  });

  test('redis:// and rediss:// URLs, with credentials and a database, are accepted', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'redis://redis.internal',
      'rediss://user:secret@redis.example.com:6380/2',
    ]) {
      assert.deepEqual(parseReplayStore(url), { kind: 'redis', url });
    }
  });

  test('anything else is a start-up error saying what to write', () => {
    for (const [value, reason] of [
      ['127.0.0.1:6379', /has the scheme 127\.0\.0\.1|is not a URL/],
      ['redis', /is not a URL/],
      ['http://127.0.0.1:6379', /has the scheme http, not redis/],
      ['redis://127.0.0.1:99999', /is not a URL/],
      ['redis://127.0.0.1:6379/cache', /has the path \/cache/],
      ['redis://127.0.0.1:6379?db=1', /query/],
    ] as const) {
      assert.throws(
        () => parseReplayStore(value),
        (error: Error) =>
          reason.test(error.message) &&
          error.message.includes('API_REPLAY_STORE=redis://127.0.0.1:6379') &&
          error.message.startsWith(`API_REPLAY_STORE=`),
        value,
      );
    }
  });

  test('a password never appears in messages', () => {
    assert.equal(redactRedisUrl('redis://user:hunter2@host:6379'), 'redis://user:***@host:6379');
    assert.equal(redactRedisUrl('redis://:hunter2@host'), 'redis://:***@host');
    assert.equal(redactRedisUrl('redis://host:6379'), 'redis://host:6379');
    assert.throws(
      () => parseReplayStore('ftp://user:hunter2@host'),
      (error: Error) => !error.message.includes('hunter2'),
    );
  });

  test('the API refuses to start with a bad API_REPLAY_STORE', async () => {
    await assert.rejects(
      startResourceApi({
        config: { ...readConfig({}), apiReplayStore: 'localhost:6379' },
        port: 0,
        host: '127.0.0.1',
      }),
      /API_REPLAY_STORE=localhost:6379 .*redis:\/\/host:port/,
    );
  });

  test('a shared store with nonces on but no shared nonce secret is a start-up error', async (t) => {
    if (process.env['API_NONCE_SECRET']) {
      t.skip('API_NONCE_SECRET is set in this environment');
      return;
    }
    await assert.rejects(
      startResourceApi({
        config: { ...readConfig({}), apiReplayStore: 'redis://127.0.0.1:1' },
        port: 0,
        host: '127.0.0.1',
      }),
      /API_NONCE_SECRET is unset: each instance would make up its own nonce secret/,
    );
  });
});
