/**
 * What the Redis replay store costs Redis, per entry (docs/redis.md): a
 * throw-away redis-server (server/resource-api/testing/redis-server.ts), entries recorded as the
 * API records them (RedisReplayCache, one script per proof), `used_memory` before and after.
 *
 *   npx tsx bench/api/redis-memory.ts
 *
 * Prints bytes for a principal's first entry (its two sorted sets are made; over 5,000
 * principals, so the growth of Redis' own tables is spread), for each further entry while its set
 * is small (a listpack, up to 128 members) and once it is large (a skiplist), and for a further
 * proof key of a principal.
 */
import { randomUUID } from 'node:crypto';

import { createClient } from 'redis';

import { replayKey } from '../../server/resource-api/checks/record-proof-use.ts';
import { RedisReplayCache } from '../../server/resource-api/redis-replay-cache.ts';
import { startRedisServer } from '../../server/resource-api/testing/redis-server.ts';

const HTU = 'http://api.bench.test/api/users';
const redis = await startRedisServer();
const admin = createClient({ url: redis.url });
await admin.connect();
const cache = new RedisReplayCache({ url: redis.url, log: () => undefined });
await cache.whenReady();

const usedMemory = async () => {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
};
const record = (principal: string, jkt = 'key-1') =>
  cache.insertIfAbsent({
    key: replayKey(randomUUID(), HTU),
    expiresAt: Date.now() + 120_000,
    principal,
    jkt,
  });
/** Bytes per entry for `count` entries recorded by `each(i)`. */
async function bytesPer(count: number, each: (i: number) => Promise<unknown>): Promise<number> {
  const before = await usedMemory();
  for (let i = 0; i < count; i += 1) await each(i);
  return Math.round(((await usedMemory()) - before) / count);
}

try {
  const first = await bytesPer(5_000, (i) => record(`first-${i}`));
  const small = await bytesPer(100, () => record('small'));
  await bytesPer(1_000, () => record('large')); // past 128 members: the set becomes a skiplist
  const large = await bytesPer(5_000, () => record('large'));
  const keys = await bytesPer(31, (i) => record('keys', `key-${i + 2}`));
  console.log(
    `Redis ${(await admin.info('server')).match(/redis_version:(\S+)/)?.[1]}, used_memory per entry: ` +
      `a principal's first ${first} B (its two sorted sets), then ${small} B each up to 128 ` +
      `(listpack), ${large} B each in a larger set; a further key of a principal ${keys} B.`,
  );
} finally {
  await cache.close();
  await admin.close();
  await redis.close();
}
