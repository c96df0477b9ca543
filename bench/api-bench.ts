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
 * The DPoP requests come from 16 users taking turns (./api/bench-clients.ts), each with its own
 * key and bound token, so no user exceeds its share of the replay cache.
 *
 * Throughput: 10 connections; after a warm-up, three rounds in which the three APIs take turns
 * (./api/load.ts), 60,000 requests each (auth0's slower middleware 30,000; 5 s or more);
 * requests per second = 2xx responses ÷ run time, the median round of each API, and the median
 * round's server CPU per request. DPoP Lab's clock moves two minutes on before each of its runs
 * (ROUND_CLOCK_STEP_MS). The ratios (DPoP Lab ÷ bearer, DPoP Lab ÷ auth0, by throughput and by
 * server CPU per request) are taken within each round, whose runs follow one another, and the
 * median of the rounds' ratios is reported: a change in the machine's load falls on both sides of
 * a ratio alike. Memory
 * (./api/replay-memory.ts): the DPoP Lab API, its clock moved past the throughput rounds' proofs,
 * serves fresh proofs until it has accepted 100,000 distinct jtis (all alive, so all in the
 * replay cache); then its clock is moved past the window and one more request sweeps them out.
 * The replay cache's memory is the difference of the two (V8 heap + array buffers, each after a
 * full GC), scaled to 100,000 entries; beside it, the cache alone in a fresh process against the
 * same 100,000 keys in a Map of strings, its layout before issue 13 (./api/replay-heap.ts).
 */
import { randomBytes } from 'node:crypto';

import { createDpopNonces } from '../server/resource-api/dpop-nonce.ts';
import { startTestIssuer } from '../server/resource-api/testing/test-issuer.ts';
import { createBenchClients, dpopRequests } from './api/bench-clients.ts';
import { benchApiSpec, startApiProcess, type ApiProcess } from './api/api-process.ts';
import type { ApiKind } from './api/api-protocol.ts';
import { alternatingRuns, CONNECTIONS, load, SPARE_REQUESTS, withServerCpu } from './api/load.ts';
import { measureReplayMemory } from './api/replay-memory.ts';
import { BENCH_PUBLIC_URL } from './api/start-api-main.ts';
import { median, round, type Figures } from './lib/results.ts';

const WARMUP_REQUESTS = 1_000;
const ROUNDS = 3;
/** At least 5 s a round even at 12,000 req/s, so a round is not a blip of the machine's load. */
const ROUND_REQUESTS = 60_000;
/** auth0's middleware serves 1,000–2,500 req/s here: 30,000 take 12 s or more. */
const AUTH0_ROUND_REQUESTS = 30_000;
/**
 * DPoP Lab's clock moves this far forward before each of its runs, past the two minutes a
 * proof's replay entry lives with nonces on: each run starts with the last run's entries expired,
 * as a server's cache would be after two minutes at this rate. Without it, three rounds of 60,000
 * within two minutes would need more than the cache's default 100,000 entries, and the API would
 * hold back the heaviest users (429), which is what it should do, but not what this measures.
 */
const ROUND_CLOCK_STEP_MS = 130_000;
const MIN_ROUND_SECONDS = 5;
const MEMORY_REQUESTS = 100_000;
const PUBLIC_URL = BENCH_PUBLIC_URL;
const AUDIENCE = `${PUBLIC_URL}/api`;

export async function runApiBenchmarks(
  log: (line: string) => void = console.log,
): Promise<Figures> {
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const nonceSecret = new Uint8Array(randomBytes(32));
  const spec = (kind: ApiKind) => benchApiSpec(kind, issuer, nonceSecret);
  const clients = await createBenchClients(issuer);
  const bearerToken = await issuer.mintAccessToken({ jkt: null, expiresIn: 3600 });
  const notes: string[] = [];
  const processes: ApiProcess[] = [];
  try {
    const bearer = await startApiProcess(spec('bearer'));
    processes.push(bearer);
    const auth0 = await startApiProcess(spec('auth0'));
    processes.push(auth0);
    const api = await startApiProcess(spec('dpop-lab'));
    processes.push(api);
    const startRss = await Promise.all(
      [bearer, auth0, api].map(async (p) => (await p.stats()).rss),
    );

    const htu = `${PUBLIC_URL}/api/users`;
    const bearerHeaders = () => ({ authorization: `Bearer ${bearerToken}` });
    /** `amount` requests, each with its own proof signed just before (auth0 checks htu as sent). */
    const withProofs = async (
      target: ApiProcess,
      amount: number,
      proofHtu: string,
      nonce?: () => string,
      clockOffsetMs = 0,
    ) => {
      const requests = await dpopRequests(
        clients,
        proofHtu,
        amount + SPARE_REQUESTS,
        nonce,
        clockOffsetMs,
      );
      return load(target.url, amount, (i) => requests[i]!);
    };
    /** A nonce of DPoP Lab's API when its clock is `offsetMs` ahead. */
    const nonceAt = (offsetMs: number) =>
      createDpopNonces({ secret: nonceSecret, now: () => Date.now() + offsetMs }).issue();
    let apiClockMs = 0;
    const dpopLab = async (amount: number) => {
      await api.advanceClock(ROUND_CLOCK_STEP_MS);
      const at = (apiClockMs += ROUND_CLOCK_STEP_MS);
      return withProofs(api, amount, htu, () => nonceAt(at), at);
    };
    const contenders = {
      'plain bearer': (amount: number) => load(bearer.url, amount, bearerHeaders),
      'auth0 express-oauth2-jwt-bearer': (amount: number) =>
        withProofs(auth0, amount, `${auth0.url}/api/users`),
      'DPoP Lab': dpopLab,
    };
    for (const [name, run] of Object.entries(contenders)) {
      const warm = await run(WARMUP_REQUESTS);
      if (warm.failed > 0) {
        throw new Error(`${name} refused ${warm.failed} of ${WARMUP_REQUESTS} valid requests.`);
      }
    }
    const cpuOf = (target: ApiProcess) => async () => (await target.stats()).cpuMicros;
    const results = await alternatingRuns(
      {
        bearer: () =>
          withServerCpu(cpuOf(bearer), () => contenders['plain bearer'](ROUND_REQUESTS)),
        auth0: () =>
          withServerCpu(cpuOf(auth0), () =>
            contenders['auth0 express-oauth2-jwt-bearer'](AUTH0_ROUND_REQUESTS),
          ),
        'dpop-lab': () => withServerCpu(cpuOf(api), () => contenders['DPoP Lab'](ROUND_REQUESTS)),
      },
      ROUNDS,
      log,
    );
    const bearerRun = results.bearer;
    const auth0Run = results.auth0;
    const dpopLabRun = results['dpop-lab'];
    const bearerStats = await bearer.stats();
    const auth0Stats = await auth0.stats();
    await Promise.all([bearer.close(), auth0.close()]);
    const afterThroughput = await api.stats();
    const throughputRequests = WARMUP_REQUESTS + ROUNDS * ROUND_REQUESTS;
    const shortRounds = [bearerRun, auth0Run, dpopLabRun].flatMap((run) =>
      run.seconds.filter((seconds) => seconds < MIN_ROUND_SECONDS),
    );
    if (shortRounds.length > 0) {
      notes.push(
        `${shortRounds.length} API rounds took less than ${MIN_ROUND_SECONDS} s (${shortRounds.map((t) => t.toFixed(1)).join(', ')} s): raise ROUND_REQUESTS in bench/api-bench.ts for this machine.`,
      );
    }

    const memory = await measureReplayMemory({
      api,
      clients,
      htu,
      nonce: nonceAt,
      clockOffsetMs: apiClockMs,
      entries: MEMORY_REQUESTS,
    });
    await api.close();
    const { accepted, failed, at100k, at100kGc, afterExpiry } = memory;
    log(
      `  DPoP Lab after ${accepted.toLocaleString('en-US')} accepted proofs: RSS ${mb(at100k.rss)} MB, ` +
        `replay cache ${at100k.replayCacheSize} entries`,
    );

    if (failed > 0) notes.push(`DPoP Lab API: ${failed} requests were not 2xx.`);
    // A ratio is taken within each round, where the two runs met the same machine load, and the
    // median of the rounds' ratios reported: a shared machine's load swings more between rounds
    // than between neighbouring runs.
    const throughputVsBearer = roundRatio(dpopLabRun.runs, bearerRun.runs);
    const cpuVsBearer = roundRatio(bearerRun.cpuRuns, dpopLabRun.cpuRuns);
    notes.push(
      `DPoP Lab ÷ bearer, round by round: throughput ${ratiosText(dpopLabRun.runs, bearerRun.runs)}; ` +
        `server CPU per request (bearer ÷ DPoP Lab) ${ratiosText(bearerRun.cpuRuns, dpopLabRun.cpuRuns)}; ` +
        `the medians, ${throughputVsBearer}× and ${cpuVsBearer}×, are api_dpop_vs_bearer and api_dpop_vs_bearer_cpu.`,
    );
    notes.push(
      `API throughput: ${CONNECTIONS} connections, ${ROUNDS} rounds in which the APIs take turns, ` +
        `${ROUND_REQUESTS.toLocaleString('en-US')} requests each (auth0 ${AUTH0_ROUND_REQUESTS.toLocaleString('en-US')}), after ${WARMUP_REQUESTS.toLocaleString('en-US')} ` +
        `warm-up; the median round of each (req/s by round: DPoP Lab ${dpopLabRun.runs.join(', ')}; ` +
        `bearer ${bearerRun.runs.join(', ')}; auth0 ${auth0Run.runs.join(', ')}; rounds of ` +
        `${secondsText([...dpopLabRun.seconds, ...bearerRun.seconds, ...auth0Run.seconds])} s); server CPU ` +
        `per request by round: DPoP Lab ${cpuRunsText(dpopLabRun.cpuRuns)}, bearer ${cpuRunsText(bearerRun.cpuRuns)} ms; each API in its own process; ` +
        `${clients.length} users (each a key and a bound token) taking turns; latency p50/p99 DPoP Lab ${dpopLabRun.p50}/${dpopLabRun.p99} ms, bearer ${bearerRun.p50}/${bearerRun.p99} ms, ` +
        `auth0 ${auth0Run.p50}/${auth0Run.p99} ms; server CPU per request (median round) DPoP Lab ` +
        `${cpuText(dpopLabRun.medianCpuMs)}, bearer ${cpuText(bearerRun.medianCpuMs)}, auth0 ` +
        `${cpuText(auth0Run.medianCpuMs)}. DPoP Lab ran with nonces ON and its replay cache; ` +
        `auth0's middleware has neither (no jti replay check, no nonce).`,
      `Memory: each API process starts at ${Math.min(...startRss.map(mb))}–${Math.max(...startRss.map(mb))} MB RSS ` +
        `(Node + the tsx loader); DPoP Lab API RSS ${mb(afterThroughput.rss)} MB after ${throughputRequests.toLocaleString('en-US')} requests, ` +
        `${mb(at100k.rss)} MB after the window passed and ${accepted.toLocaleString('en-US')} more in ${memory.fillSeconds.toFixed(0)} s (replay cache ${at100k.replayCacheSize} entries; ` +
        `after a full GC: heap ${mb(at100kGc.heapUsed)} MB + array buffers ${mb(at100kGc.arrayBuffers)} MB, ` +
        `RSS ${mb(at100kGc.rss)} MB). ` +
        `Clock moved ${memory.advanceSeconds} s past the proof window, one more request (HTTP ${memory.lateStatus}): ` +
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
        value: throughputVsBearer,
        unit: '×',
        goal: { op: '≥', limit: 0.9 },
      },
      api_dpop_vs_bearer_cpu: {
        // Bearer's server CPU per request ÷ DPoP Lab's: the throughput ratio without the load
        // generator's share of the machine.
        value: cpuVsBearer,
        unit: '×',
        goal: { op: '≥', limit: 0.9 },
      },
      api_dpop_vs_auth0: {
        value: roundRatio(dpopLabRun.runs, auth0Run.runs),
        unit: '×',
        compare: {
          'server CPU per request, auth0 ÷ DPoP Lab': roundRatio(
            auth0Run.cpuRuns,
            dpopLabRun.cpuRuns,
          ),
        },
        goal: { op: '≥', limit: 1.5 },
      },
      api_replay_heap_mb_per_100k: {
        value: round(memory.heapMbPer100k, 1),
        unit: 'MB',
        compare: {
          'the cache alone, fresh process': memory.alone.compactMb,
          'the same keys in a Map of strings (the layout before)': memory.alone.mapMb,
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

function secondsText(seconds: readonly number[]): string {
  return `${Math.min(...seconds).toFixed(1)}–${Math.max(...seconds).toFixed(1)}`;
}

function cpuRunsText(cpuMs: readonly number[]): string {
  return cpuMs.map((ms) => ms.toFixed(3)).join(', ');
}

function cpuText(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${ms.toFixed(3)} ms`;
}

/** The median over rounds of `numerators[i] ÷ denominators[i]`. */
function roundRatio(numerators: readonly number[], denominators: readonly number[]): number {
  return round(median(numerators.map((value, i) => value / denominators[i]!)), 2);
}

function ratiosText(numerators: readonly number[], denominators: readonly number[]): string {
  return numerators.map((value, i) => (value / denominators[i]!).toFixed(2)).join(', ');
}

function mb(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}
