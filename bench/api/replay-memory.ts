/**
 * The DPoP Lab API's replay cache under 100,000 live entries (bench 6): keep sending fresh
 * proofs until the API has accepted that many distinct jtis (all inside the proof window, so all
 * in the cache), read its memory; then move its clock past the window, send one more request (its
 * insert sweeps the expired entries) and read it again. Also the cache alone in a fresh process
 * against a Map of the same keys (./replay-heap.ts).
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

export interface ReplayMemory {
  accepted: number;
  failed: number;
  at100k: ApiStats;
  at100kGc: ApiStats;
  afterExpiry: ApiStats;
  lateStatus: number;
  advanceSeconds: number;
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
  alreadyAccepted: number;
  entries: number;
}): Promise<ReplayMemory> {
  const { api, clients, htu, nonce } = options;
  let accepted = options.alreadyAccepted;
  let failed = 0;
  while (accepted < options.entries) {
    const size = Math.min(BATCH, options.entries - accepted);
    const batch = await dpopRequests(clients, htu, size + SPARE_REQUESTS, () => nonce(0));
    const run = await load(api.url, size, (i) => batch[i]!);
    accepted += run.ok;
    failed += run.failed;
  }
  const at100k = await api.stats();
  const at100kGc = await api.stats(true);

  await api.advanceClock(ADVANCE_MS);
  const [first] = clients as [BenchClient];
  const late = await signProof(first.key, {
    htm: 'GET',
    htu,
    accessToken: first.accessToken,
    iat: Math.floor((Date.now() + ADVANCE_MS) / 1000),
    nonce: nonce(ADVANCE_MS),
  });
  const lateResponse = await fetch(`${api.url}/api/users`, {
    headers: { authorization: `DPoP ${first.accessToken}`, dpop: late },
  });
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
