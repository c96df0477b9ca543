/**
 * The cost of the shared replay cache: DPoP Lab's API throughput with the in-memory replay cache
 * versus Redis (API_REPLAY_STORE=redis://…), everything else equal.
 *
 * Two API processes run `npm run start:api`'s entry point (server/resource-api/main.ts), one per
 * store, both with nonces on, trusting the API test fixture's issuer; the Redis is a throw-away
 * local redis-server (server/resource-api/testing/redis-server.ts). Every request carries its
 * own pre-signed proof (distinct jti, valid nonce), so every request does the full verification
 * and one replay-cache insert. Load: `connections` keep-alive connections from this process,
 * `requests` GETs per run after a warm-up; runs alternate memory/redis `rounds` times and the
 * median run of each store is reported (alternating cancels drift in the machine's load).
 *
 *   npx tsx bench/api-redis.ts            prints the figures
 *   import { benchReplayStores } from …   returns them
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';

import { createDpopNonces } from '../server/resource-api/dpop-nonce.ts';
import { RedisReplayCache } from '../server/resource-api/redis-replay-cache.ts';
import { MemoryReplayCache } from '../server/resource-api/memory-replay-cache.ts';
import type { ReplayCache } from '../server/resource-api/replay-cache.ts';
import { startRedisServer } from '../server/resource-api/testing/redis-server.ts';
import { startTestIssuer } from '../server/resource-api/testing/test-issuer.ts';
import { createBenchClients, dpopRequests } from './api/bench-clients.ts';
import { BENCH_PUBLIC_URL as PUBLIC_URL, startApiMain } from './api/start-api-main.ts';

export interface ReplayStoreRun {
  ok: number;
  failed: number;
  seconds: number;
  /** 2xx responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ReplayStoreBench {
  memory: ReplayStoreRun;
  redis: ReplayStoreRun;
  /** redis.rps ÷ memory.rps. */
  ratio: number;
  /** Mean time of one insertIfAbsent, awaited one after another (10 000 inserts), in µs. */
  insertMicros: { memory: number; redis: number };
  /** How it was measured, in one sentence, for a report. */
  method: string;
}

export interface ReplayStoreBenchOptions {
  requests?: number;
  connections?: number;
  rounds?: number;
  log?: (line: string) => void;
}

/** `headers.length` GETs of /api/users over `connections` keep-alive connections. */
async function load(url: string, connections: number, headers: Record<string, string>[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const one = (h: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/users`, { agent, headers: h }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < headers.length) {
        const h = headers[next++]!;
        const t0 = performance.now();
        const status = await one(h);
        latencies.push(performance.now() - t0);
        if (status >= 200 && status < 300) ok += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const at = (q: number) =>
    Math.round(latencies[Math.floor(q * (latencies.length - 1))]! * 10) / 10;
  return {
    ok,
    failed: headers.length - ok,
    seconds,
    rps: ok / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

async function insertMicros(cache: ReplayCache, count = 10_000): Promise<number> {
  const run = randomBytes(8).toString('hex');
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    await cache.insertIfAbsent({
      key: `bench:${run}:${i}`,
      expiresAt: Date.now() + 60_000,
      principal: `bench-principal-${i % 16}`,
      jkt: `bench-key-${i % 16}`,
    });
  }
  return Math.round(((performance.now() - started) * 1000) / count);
}

export async function benchReplayStores({
  requests = 10_000,
  connections = 10,
  rounds = 3,
  log = () => undefined,
}: ReplayStoreBenchOptions = {}): Promise<ReplayStoreBench> {
  const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
  const redis = await startRedisServer();
  const secret = randomBytes(32);
  const nonces = createDpopNonces({ secret: new Uint8Array(secret) });
  const clients = await createBenchClients(issuer);
  const common = { ISSUER: issuer.issuer, API_NONCE_SECRET: secret.toString('base64url') };
  const apis: ChildProcess[] = [];
  try {
    const memory = await startApiMain(common);
    apis.push(memory.child);
    const shared = await startApiMain({ ...common, API_REPLAY_STORE: redis.url });
    apis.push(shared.child);

    // Signed just before each run, so the nonce (valid for one to two minutes) stays current.
    const proofs = (count: number) =>
      dpopRequests(clients, `${PUBLIC_URL}/api/users`, count, () => nonces.issue());
    for (const api of [memory, shared]) await load(api.url, connections, await proofs(1_000));

    const runs: { memory: ReplayStoreRun[]; redis: ReplayStoreRun[] } = { memory: [], redis: [] };
    for (let round = 1; round <= rounds; round += 1) {
      for (const [store, api] of [
        ['memory', memory],
        ['redis', shared],
      ] as const) {
        const run = await load(api.url, connections, await proofs(requests));
        runs[store].push(run);
        log(
          `  round ${round} ${store}: ${Math.round(run.rps)} req/s (p50 ${run.p50Ms} ms, ` +
            `p99 ${run.p99Ms} ms, ${run.failed} not 2xx)`,
        );
      }
    }
    const median = (list: ReplayStoreRun[]) =>
      [...list].sort((x, y) => x.rps - y.rps)[Math.floor(list.length / 2)]!;
    const result = { memory: median(runs.memory), redis: median(runs.redis) };
    const redisCache = new RedisReplayCache({ url: redis.url });
    await redisCache.whenReady();
    const inserts = {
      memory: await insertMicros(new MemoryReplayCache()),
      redis: await insertMicros(redisCache),
    };
    await redisCache.close();
    return {
      ...result,
      insertMicros: inserts,
      ratio: result.redis.rps / result.memory.rps,
      method:
        `${connections} keep-alive connections, ${requests} requests per run after 1 000 warm-up, ` +
        `${rounds} alternating rounds, median run; each request a distinct proof with a valid nonce, from 16 clients (each a user with its key and bound token) taking turns; ` +
        `each API in its own process (start:api), Redis ${redis.url} on loopback.`,
    };
  } finally {
    for (const child of apis) child.kill('SIGTERM');
    await redis.close();
    await issuer.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchReplayStores({ log: console.log });
  const show = (run: ReplayStoreRun) =>
    `${Math.round(run.rps)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`;
  console.log(`in memory: ${show(result.memory)}`);
  console.log(`Redis:     ${show(result.redis)}`);
  console.log(`Redis / in memory: ${(result.ratio * 100).toFixed(1)} %  (${result.method})`);
  console.log(
    `one insertIfAbsent: in memory ${result.insertMicros.memory} µs, Redis ${result.insertMicros.redis} µs`,
  );
}
