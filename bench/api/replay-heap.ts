/**
 * The replay cache's memory on its own, in a fresh process (run with --expose-gc): 100,000
 * entries as the API records them (replayKey of a random jti and the htu, alive for the two
 * minutes a nonce lives at most, 16 principals with a key each), V8 heap + array buffers after a full GC, minus the same before. For comparison, the
 * same keys in a Map<string, number>, the layout the in-memory cache had before issue 13.
 * Prints one JSON line: { compactMb, mapMb }.
 */
import { randomUUID } from 'node:crypto';

import { replayKey } from '../../server/resource-api/checks/record-proof-use.ts';
import { MemoryReplayCache } from '../../server/resource-api/memory-replay-cache.ts';

const ENTRIES = 100_000;
const HTU = 'http://api.bench.test/api/users';
const gc =
  globalThis.gc ??
  (() => {
    throw new Error('run with node --expose-gc');
  });

/** After a full GC, twice a moment apart: dead ArrayBuffers are freed on a background task. */
async function held(): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

let before = await held();
const cache = new MemoryReplayCache();
for (let i = 0; i < ENTRIES; i += 1) {
  await cache.insertIfAbsent({
    key: replayKey(randomUUID(), HTU),
    expiresAt: Date.now() + 120_000,
    principal: `principal-${i % 16}`,
    jkt: `key-${i % 16}`,
  });
}
const compactMb = mb((await held()) - before);

before = await held();
const map = new Map<string, number>();
const now = Date.now();
for (let i = 0; i < ENTRIES; i += 1) map.set(replayKey(randomUUID(), HTU), now + 300_000 + i);
const mapMb = mb((await held()) - before);

if (cache.size !== ENTRIES || map.size !== ENTRIES) throw new Error('not all entries were kept');
console.log(JSON.stringify({ compactMb, mapMb }));
