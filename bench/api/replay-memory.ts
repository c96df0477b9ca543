/**
 * The DPoP Lab API's replay cache under 100,000 live entries (bench 6). First the API's clock is
 * moved past the proof window of everything sent so far, to the start of a nonce step: the
 * throughput rounds' entries expire (the next insert sweeps them), and every entry of the fill
 * lives the nonce's full two minutes (with nonces on, an entry lives only as long as its nonce).
 * Then fresh proofs until the API has accepted that many distinct jtis, its memory read; then its
 * clock moved past the window again, one more request (its insert sweeps the expired entries) and
 * its memory read again. Also the cache alone in a fresh process against a Map of the same keys
 * (./replay-heap.ts).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { signProof } from '@dpop-lab/protocol';
import type { ApiProcess, ApiStats } from './api-process.ts';
import { dpopRequests, type BenchClient } from './bench-clients.ts';
import { load, SPARE_REQUESTS } from './load.ts';

const BATCH = 20_000;
/** Past the 300 s proof window. */
const ADVANCE_MS = 400_000;
/** The API's nonce step (server/resource-api/dpop-nonce.ts). */
const NONCE_STEP_MS = 60_000;

export interface ReplayMemory {
  accepted: number;
  failed: number;
  at100k: ApiStats;
  at100kGc: ApiStats;
  afterExpiry: ApiStats;
  lateStatus: number;
  advanceSeconds: number;
  /** Seconds the fill took (its entries must all be alive at the end: a nonce lives 120 s). */
  fillSeconds: number;
  /** Heap + array buffers the entries took in the API, scaled to 100,000 entries. */
  heapMbPer100k: number;
  alone: { compactMb: number; mapMb: number };
}

const heldMb = (stats: ApiStats) => (stats.heapUsed + stats.arrayBuffers) / 1024 / 1024;

export async function measureReplayMemory(options: {
  api: ApiProcess;
  clients: readonly BenchClient[];
  htu: string;
  /** A current API nonce, at the API's clock (which this moves forward). */
  nonce: (offsetMs: number) => string;
  /** How far ahead the API's clock is already. */
  clockOffsetMs: number;
  entries: number;
}): Promise<ReplayMemory> {
  const { api, clients, htu, nonce } = options;
  const ahead = Date.now() + options.clockOffsetMs + ADVANCE_MS;
  const advance = ADVANCE_MS + (NONCE_STEP_MS - (ahead % NONCE_STEP_MS)) + 100;
  await api.advanceClock(advance);
  let offsetMs = options.clockOffsetMs + advance;

  let accepted = 0;
  let failed = 0;
  const started = performance.now();
  while (accepted < options.entries) {
    const size = Math.min(BATCH, options.entries - accepted);
    const at = offsetMs;
    const batch = await dpopRequests(clients, htu, size + SPARE_REQUESTS, () => nonce(at), at);
    const run = await load(api.url, size, (i) => batch[i]!);
    accepted += run.ok;
    failed += run.failed;
    if (run.ok === 0) throw new Error(`The API accepted none of ${size} valid proofs.`);
  }
  const fillSeconds = (performance.now() - started) / 1000;
  const at100k = await api.stats();
  const at100kGc = await api.stats(true);

  await api.advanceClock(ADVANCE_MS);
  offsetMs += ADVANCE_MS;
  const [late] = await dpopRequests(clients.slice(0, 1), htu, 1, () => nonce(offsetMs), offsetMs);
  const lateResponse = await fetch(`${api.url}/api/users`, { headers: late });
  const afterExpiry = await api.stats(true);
  const entries = at100k.replayCacheSize ?? 0;
  return {
    accepted,
    failed,
    at100k,
    at100kGc,
    afterExpiry,
    lateStatus: lateResponse.status,
    advanceSeconds: ADVANCE_MS / 1000,
    fillSeconds,
    heapMbPer100k: entries > 0 ? ((heldMb(at100kGc) - heldMb(afterExpiry)) * 100_000) / entries : 0,
    alone: await replayHeapAlone(),
  };
}

/** ./replay-heap.ts in a fresh process: the cache alone, and a Map of the same keys. */
async function replayHeapAlone(): Promise<{ compactMb: number; mapMb: number }> {
  const script = fileURLToPath(new URL('./replay-heap.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    script,
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { compactMb: number; mapMb: number };
}
