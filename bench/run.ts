/**
 * `npm run bench`: every benchmark side by side in one run, then one table (figure, DPoP Lab,
 * each comparison, ratio, goal) and bench/results.json. `npm run bench -- api sign-in` runs only
 * those (bundle, browser, sign-in, api, redis); their figures are merged into results.json.
 *
 * Benchmarks are measurements, never assertions: a missed goal is shown, not failed. A
 * benchmark that cannot run (a crash, a refused request) fails the run.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import { runApiBenchmarks } from './api-bench.ts';
import { runBrowserBenchmarks } from './browser-bench.ts';
import { runBundleBenchmark } from './bundle-bench.ts';
import { BENCH, OUT } from './lib/paths.ts';
import { goalMet, markdownTable, writeResults, type Figures } from './lib/results.ts';
import { runSignInBenchmark } from './sign-in-bench.ts';

const log = (line: string) => console.log(line);

/** What bench/api-redis.ts (the Redis replay store's own benchmark) exports. */
interface ReplayStoreRun {
  rps: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}
interface RedisBenchModule {
  benchReplayStores(options: {
    requests?: number;
    connections?: number;
    rounds?: number;
    log?: (line: string) => void;
  }): Promise<{
    memory: ReplayStoreRun;
    redis: ReplayStoreRun;
    insertMicros: { memory: number; redis: number };
    method: string;
  }>;
}

/** DPoP Lab's API with the Redis replay store vs in memory, when bench/api-redis.ts exists. */
async function runRedis(): Promise<Figures> {
  const path = join(BENCH, 'api-redis.ts');
  if (!existsSync(path)) {
    log('  skipped: bench/api-redis.ts is not there');
    return {};
  }
  const { benchReplayStores } = (await import(path)) as RedisBenchModule;
  const result = await benchReplayStores({ requests: 3_000, rounds: 3, log });
  const failed = result.memory.failed + result.redis.failed;
  return {
    api_rps_dpop_redis: {
      value: Math.round(result.redis.rps),
      unit: 'req/s',
      compare: { 'DPoP Lab, in-memory replay cache (same run)': Math.round(result.memory.rps) },
      notes: [
        `api_rps_dpop_redis (bench/api-redis.ts): ${result.method} p50/p99 Redis ` +
          `${result.redis.p50Ms}/${result.redis.p99Ms} ms, in memory ${result.memory.p50Ms}/` +
          `${result.memory.p99Ms} ms; ${failed} not 2xx.`,
      ],
    },
    replay_insert_redis_us: {
      value: result.insertMicros.redis,
      unit: 'µs',
      compare: { 'in-memory replay cache': result.insertMicros.memory },
    },
  };
}

const BENCHMARKS: Record<string, { title: string; run: () => Promise<Figures> }> = {
  bundle: { title: '3. bundle size (production builds)', run: () => runBundleBenchmark(log) },
  browser: {
    title: '1–2. proof cost and interceptor overhead (Chromium)',
    run: runBrowserBenchmarks,
  },
  'sign-in': { title: '4. sign-in round trips (Chromium, real servers)', run: runSignInBenchmark },
  api: { title: '5–6. API throughput and memory (autocannon)', run: () => runApiBenchmarks(log) },
  redis: { title: 'API with the Redis replay store (bench/api-redis.ts)', run: runRedis },
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in BENCHMARKS)) {
    console.error(
      `Unknown benchmark "${name}"; choose from: ${Object.keys(BENCHMARKS).join(', ')}.`,
    );
    process.exit(2);
  }
}
const selected = wanted.length ? wanted : Object.keys(BENCHMARKS);

await mkdir(OUT, { recursive: true });
const started = performance.now();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
log(
  `DPoP Lab bench — ${new Date().toISOString()}, Node ${process.version}, ` +
    `${cpus().length}× ${cpus()[0]?.model ?? 'CPU'}, load average ${load()}`,
);

const figures: Figures = {};
let failed = false;
for (const name of selected) {
  const { title, run } = BENCHMARKS[name]!;
  log(`\n▶ ${title}`);
  const t = performance.now();
  try {
    Object.assign(figures, await run());
    log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s (load average ${load()})`);
  } catch (error) {
    failed = true;
    console.error(`  ${name} failed:`, error);
  }
}

const table = markdownTable(figures);
const notes = Object.values(figures).flatMap((figure) => figure.notes ?? []);
const goals = Object.entries(figures)
  .filter(([, figure]) => figure.goal)
  .map(([name, figure]) => `${name} ${goalMet(figure) ? 'met' : 'MISSED'}`);
log(`\n${table}\n`);
for (const note of notes) log(`- ${note}`);
log(`\nGoals: ${goals.join(', ') || 'none measured'}.`);
log(`Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s, load average ${load()}.`);

await writeFile(join(OUT, 'table.md'), `${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
await writeResults(join(BENCH, 'results.json'), figures);
if (failed) process.exit(1);
