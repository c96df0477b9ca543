/**
 * Benchmarks 5 and 6: API throughput with autocannon on loopback, and the DPoP Lab API's memory
 * after 100,000 DPoP requests with distinct jtis.
 *
 * Each API runs in its own process (bench/api/api-server.ts); autocannon runs here. They all
 * trust the same test issuer (the API test fixture's, server/resource-api/testing/test-issuer.ts)
 * and answer GET /api/users with the same JSON:
 *
 * - DPoP Lab: the real resource API with every check, the in-memory replay cache and nonces ON;
 *   every request carries a distinct pre-generated proof with a valid API nonce.
 * - plain bearer: jose jwtVerify of the same kind of token (unbound), no proof.
 * - auth0 express-oauth2-jwt-bearer, DPoP required: distinct pre-generated proofs too (it keeps no
 *   replay cache and has no nonces, so it does less work per request than DPoP Lab).
 *
 * The DPoP requests come from 16 clients taking turns (./api/bench-clients.ts), each with its own
 * key and bound token, so no key exceeds its share of the replay cache.
 *
 * Throughput: 10 connections, a fixed number of requests after a warm-up; requests per second
 * = 2xx responses ÷ run time. The ratios (DPoP Lab ÷ bearer, DPoP Lab ÷ auth0) come from one run,
 * so the machine's load affects both sides alike. Memory: the DPoP Lab API keeps serving fresh
 * proofs until it has accepted 100,000 distinct jtis (all inside the proof window, so all in the
 * replay cache); then its clock is moved past the window and one more request sweeps them out.
 * The replay cache's memory is the difference of the two (V8 heap + array buffers, each after a
 * full GC), scaled to 100,000 entries; beside it, the cache alone in a fresh process against the
 * same 100,000 keys in a Map of strings, its layout before issue 13 (./api/replay-heap.ts).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import autocannon from 'autocannon';

import { signProof } from '../server/dpop-proof/sign-proof.ts';
import { createDpopNonces } from '../server/resource-api/dpop-nonce.ts';
import { startTestIssuer } from '../server/resource-api/testing/test-issuer.ts';
import { createBenchClients, dpopRequests, type BenchClient } from './api/bench-clients.ts';
import { startApiProcess, type ApiProcess, type ApiStats } from './api/api-process.ts';
import type { ApiKind } from './api/api-protocol.ts';
import { round, type Figures } from './lib/results.ts';

const CONNECTIONS = 10;
const WARMUP_REQUESTS = 1_000;
const MEASURED_REQUESTS = 10_000;
const MEMORY_REQUESTS = 100_000;
const BATCH = 20_000;
/** DPoP Lab's API_PUBLIC_URL here: a name that resolves nowhere, so htu never comes from Host. */
const PUBLIC_URL = 'http://api.bench.test';
const AUDIENCE = `${PUBLIC_URL}/api`;

interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Fires `amount` GETs at /api/users, headers from `headersFor(i)` for the i-th request. */
async function load(
  url: string,
  amount: number,
  headersFor: (index: number) => Record<string, string>,
): Promise<LoadResult> {
  let index = 0;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        path: '/api/users',
        setupRequest: (request) => ({ ...request, headers: headersFor(index++) }),
      },
    ],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ok = result['2xx'];
  return {
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    seconds,
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** One extra proof per connection: autocannon may prepare a request it never sends. */
const spare = CONNECTIONS;

/** ./api/replay-heap.ts in a fresh process: the cache alone, and a Map of the same keys. */
async function replayHeapAlone(): Promise<{ compactMb: number; mapMb: number }> {
  const script = fileURLToPath(new URL('./api/replay-heap.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    script,
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { compactMb: number; mapMb: number };
}

/** What the replay cache's entries occupy: the V8 heap and the array buffers outside it. */
const heldBytes = (stats: ApiStats) => stats.heapUsed + stats.arrayBuffers;

export async function runApiBenchmarks(
  log: (line: string) => void = console.log,
): Promise<Figures> {
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const nonceSecret = new Uint8Array(randomBytes(32));
  const spec = (kind: ApiKind) => ({
    kind,
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience: AUDIENCE,
    publicUrl: PUBLIC_URL,
    nonceSecret: Buffer.from(nonceSecret).toString('base64url'),
  });
  const clients = await createBenchClients(issuer);
  const bearerToken = await issuer.mintAccessToken({ jkt: null, expiresIn: 3600 });
  const notes: string[] = [];
  const processes: ApiProcess[] = [];
  try {
    // ---- plain bearer -------------------------------------------------------------------
    const bearer = await startApiProcess(spec('bearer'));
    processes.push(bearer);
    const startRss = [(await bearer.stats()).rss];
    const bearerHeaders = () => ({ authorization: `Bearer ${bearerToken}` });
    await load(bearer.url, WARMUP_REQUESTS, bearerHeaders);
    const bearerRun = await load(bearer.url, MEASURED_REQUESTS, bearerHeaders);
    const bearerStats = await bearer.stats();
    log(`  plain bearer: ${describe(bearerRun)}`);
    await bearer.close();

    // ---- auth0 express-oauth2-jwt-bearer (DPoP required) -----------------------------------
    const auth0 = await startApiProcess(spec('auth0'));
    processes.push(auth0);
    startRss.push((await auth0.stats()).rss);
    const auth0Run = await runWithProofs(auth0, clients, `${auth0.url}/api/users`);
    const auth0Stats = await auth0.stats();
    log(`  auth0 express-oauth2-jwt-bearer: ${describe(auth0Run)}`);
    await auth0.close();

    // ---- DPoP Lab ---------------------------------------------------------------------
    const api = await startApiProcess(spec('dpop-lab'));
    processes.push(api);
    startRss.push((await api.stats()).rss);
    let clockOffsetMs = 0;
    const nonces = createDpopNonces({ secret: nonceSecret, now: () => Date.now() + clockOffsetMs });
    const htu = `${PUBLIC_URL}/api/users`;
    const dpopLabRun = await runWithProofs(api, clients, htu, () => nonces.issue());
    log(`  DPoP Lab: ${describe(dpopLabRun)}`);
    const afterThroughput = await api.stats();

    // ---- memory: up to 100,000 accepted distinct proofs ----------------------------------
    let accepted = WARMUP_REQUESTS + dpopLabRun.ok;
    let failed = dpopLabRun.failed;
    while (accepted < MEMORY_REQUESTS) {
      const size = Math.min(BATCH, MEMORY_REQUESTS - accepted);
      const batch = await dpopRequests(clients, htu, size + spare, () => nonces.issue());
      const run = await load(api.url, size, (i) => batch[i]!);
      accepted += run.ok;
      failed += run.failed;
    }
    const at100k = await api.stats();
    const at100kGc = await api.stats(true);
    log(
      `  DPoP Lab after ${accepted.toLocaleString('en-US')} accepted proofs: RSS ${mb(at100k.rss)} MB, ` +
        `replay cache ${at100k.replayCacheSize} entries`,
    );

    // ---- the replay cache expires entries: move the clock past the proof window ------------
    const advanceMs = 400_000;
    await api.advanceClock(advanceMs);
    clockOffsetMs += advanceMs;
    const [first] = clients as [BenchClient];
    const late = await signProof(first.key, {
      htm: 'GET',
      htu,
      accessToken: first.accessToken,
      iat: Math.floor((Date.now() + clockOffsetMs) / 1000),
      nonce: nonces.issue(),
    });
    const lateResponse = await fetch(`${api.url}/api/users`, {
      headers: { authorization: `DPoP ${first.accessToken}`, dpop: late },
    });
    const afterExpiry = await api.stats(true);
    await api.close();
    const alone = await replayHeapAlone();
    const entries = at100k.replayCacheSize ?? 0;
    const replayHeapMb =
      entries > 0 ? (mb(heldBytes(at100kGc) - heldBytes(afterExpiry)) * 100_000) / entries : 0;

    if (failed > 0) notes.push(`DPoP Lab API: ${failed} requests were not 2xx.`);
    notes.push(
      `API throughput: ${CONNECTIONS} connections, ${MEASURED_REQUESTS.toLocaleString('en-US')} requests ` +
        `after ${WARMUP_REQUESTS.toLocaleString('en-US')} warm-up, each API in its own process; ` +
        `${clients.length} DPoP clients (key + bound token) taking turns; latency p50/p99 DPoP Lab ${dpopLabRun.p50}/${dpopLabRun.p99} ms, bearer ${bearerRun.p50}/${bearerRun.p99} ms, ` +
        `auth0 ${auth0Run.p50}/${auth0Run.p99} ms. DPoP Lab ran with nonces ON and its replay cache; ` +
        `auth0's middleware has neither (no jti replay check, no nonce).`,
      `Memory: each API process starts at ${Math.min(...startRss.map(mb))}–${Math.max(...startRss.map(mb))} MB RSS ` +
        `(Node + the tsx loader); DPoP Lab API RSS ${mb(afterThroughput.rss)} MB after ${(WARMUP_REQUESTS + dpopLabRun.ok).toLocaleString('en-US')} requests, ` +
        `${mb(at100k.rss)} MB after ${accepted.toLocaleString('en-US')} (replay cache ${at100k.replayCacheSize} entries; ` +
        `after a full GC: heap ${mb(at100kGc.heapUsed)} MB + array buffers ${mb(at100kGc.arrayBuffers)} MB, ` +
        `RSS ${mb(at100kGc.rss)} MB). ` +
        `Clock moved ${advanceMs / 1000} s past the proof window, one more request (HTTP ${lateResponse.status}): ` +
        `replay cache ${afterExpiry.replayCacheSize} entr${afterExpiry.replayCacheSize === 1 ? 'y' : 'ies'}, ` +
        `RSS ${mb(afterExpiry.rss)} MB, heap ${mb(afterExpiry.heapUsed)} MB + array buffers ` +
        `${mb(afterExpiry.arrayBuffers)} MB after GC. api_replay_heap_mb_per_100k is the difference ` +
        `(heap + array buffers), scaled to 100,000 entries.`,
    );
    return {
      api_rps_dpop: {
        value: Math.round(dpopLabRun.rps),
        unit: 'req/s',
        compare: {
          'plain bearer (jose jwtVerify)': Math.round(bearerRun.rps),
          'auth0 express-oauth2-jwt-bearer (DPoP)': Math.round(auth0Run.rps),
        },
        notes,
      },
      api_dpop_vs_bearer: {
        value: round(dpopLabRun.rps / bearerRun.rps, 2),
        unit: '×',
        goal: { op: '≥', limit: 0.9 },
      },
      api_dpop_vs_auth0: {
        value: round(dpopLabRun.rps / auth0Run.rps, 2),
        unit: '×',
        goal: { op: '≥', limit: 1.5 },
      },
      api_replay_heap_mb_per_100k: {
        value: round(replayHeapMb, 1),
        unit: 'MB',
        compare: {
          'the cache alone, fresh process': alone.compactMb,
          'the same keys in a Map of strings (the layout before)': alone.mapMb,
        },
        goal: { op: '≤', limit: 12 },
      },
      api_rss_mb: {
        value: round(mb(at100k.rss), 1),
        unit: 'MB',
        compare: {
          'plain bearer (after its run)': round(mb(bearerStats.rss), 1),
          'auth0 (after its run)': round(mb(auth0Stats.rss), 1),
          'DPoP Lab after the window passed (GC)': round(mb(afterExpiry.rss), 1),
        },
      },
      api_replay_cache_entries: {
        value: at100k.replayCacheSize ?? 0,
        unit: 'entries',
        compare: { 'after the window passed': afterExpiry.replayCacheSize ?? 0 },
        ratio: false,
      },
    };
  } finally {
    await Promise.allSettled(processes.map((p) => p.close()));
    await issuer.close();
  }
}

/** Warm-up, then the measured run, each request with its own fresh proof. */
async function runWithProofs(
  api: ApiProcess,
  clients: readonly BenchClient[],
  htu: string,
  nonce?: () => string,
): Promise<LoadResult> {
  const warm = await dpopRequests(clients, htu, WARMUP_REQUESTS + spare, nonce);
  const warmRun = await load(api.url, WARMUP_REQUESTS, (i) => warm[i]!);
  if (warmRun.failed > 0) {
    throw new Error(
      `${api.url} refused ${warmRun.failed} of ${WARMUP_REQUESTS} valid DPoP requests.`,
    );
  }
  const measured = await dpopRequests(clients, htu, MEASURED_REQUESTS + spare, nonce);
  return load(api.url, MEASURED_REQUESTS, (i) => measured[i]!);
}

function describe(run: LoadResult): string {
  return `${Math.round(run.rps)} req/s (${run.ok} ok, ${run.failed} failed, ${run.seconds.toFixed(1)} s)`;
}

function mb(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}
