/**
 * DPoP Lab's API in this tree against the same API in another checkout (say, the commit before a
 * change), with the plain bearer endpoint beside them, in one run whose rounds interleave: the
 * "before" and "after" of a change measured under the same machine load, which on a shared
 * machine two separate `npm run bench` runs are not.
 *
 *   git archive <commit> | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 *   cp bench/api/api-process.ts /tmp/before/bench/api/       # the launcher this script expects
 *   npx tsx bench/api/compare-versions.ts /tmp/before [requests per round] [rounds]
 *
 * The same load as `npm run bench` (./load.ts, 10 connections, distinct pre-signed proofs with
 * nonces from 16 users); per contender the median round's requests per second and server CPU per
 * request. Defaults: 30,000 requests, 3 rounds (a DPoP API must not get more than ~95,000 proofs
 * within five minutes, or the replay cache of an older version fills).
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

import { createDpopNonces } from '../../server/resource-api/dpop-nonce.ts';
import { startTestIssuer } from '../../server/resource-api/testing/test-issuer.ts';
import { benchApiSpec, startApiProcess, type ApiProcess } from './api-process.ts';
import type { ApiKind } from './api-protocol.ts';
import { createBenchClients, dpopRequests } from './bench-clients.ts';
import { alternatingRuns, load, SPARE_REQUESTS, withServerCpu } from './load.ts';
import { BENCH_PUBLIC_URL } from './start-api-main.ts';

const [other, requestsArg, roundsArg] = process.argv.slice(2);
if (!other) {
  console.error(
    'Usage: npx tsx bench/api/compare-versions.ts <other checkout> [requests] [rounds]',
  );
  process.exit(2);
}
const REQUESTS = Number(requestsArg ?? 30_000);
const ROUNDS = Number(roundsArg ?? 3);
const PUBLIC_URL = BENCH_PUBLIC_URL;
const HTU = `${PUBLIC_URL}/api/users`;

type Launcher = typeof startApiProcess;
const otherLauncher = (
  (await import(join(resolve(other), 'bench/api/api-process.ts'))) as {
    startApiProcess: Launcher;
  }
).startApiProcess;

const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
const secret = new Uint8Array(randomBytes(32));
const nonces = createDpopNonces({ secret });
const spec = (kind: ApiKind) => benchApiSpec(kind, issuer, secret);
const clients = await createBenchClients(issuer);
const bearerToken = await issuer.mintAccessToken({ jkt: null, expiresIn: 3600 });
const processes: ApiProcess[] = [];
try {
  const bearer = await startApiProcess(spec('bearer'));
  const before = await otherLauncher(spec('dpop-lab'));
  const after = await startApiProcess(spec('dpop-lab'));
  processes.push(bearer, before, after);
  const dpop = (api: ApiProcess) => async (amount: number) => {
    const requests = await dpopRequests(clients, HTU, amount + SPARE_REQUESTS, () =>
      nonces.issue(),
    );
    return load(api.url, amount, (i) => requests[i]!);
  };
  const contenders = {
    bearer: (amount: number) =>
      load(bearer.url, amount, () => ({ authorization: `Bearer ${bearerToken}` })),
    [`DPoP Lab in ${other}`]: dpop(before),
    'DPoP Lab in this tree': dpop(after),
  };
  const apis = { bearer, [`DPoP Lab in ${other}`]: before, 'DPoP Lab in this tree': after };
  for (const [name, run] of Object.entries(contenders)) {
    const warm = await run(1_000);
    if (warm.failed > 0) throw new Error(`${name} refused ${warm.failed} of 1,000 valid requests.`);
  }
  const median = await alternatingRuns(
    Object.fromEntries(
      Object.entries(contenders).map(([name, run]) => [
        name,
        () =>
          withServerCpu(
            async () => (await apis[name]!.stats()).cpuMicros,
            () => run(REQUESTS),
          ),
      ]),
    ),
    ROUNDS,
    console.log,
  );
  const base = median['bearer']!;
  for (const [name, result] of Object.entries(median)) {
    console.log(
      `${name}: ${Math.round(result.rps)} req/s (${(result.rps / base.rps).toFixed(2)}× bearer), ` +
        `server CPU ${result.medianCpuMs?.toFixed(3)} ms/request (bearer ÷ it: ` +
        `${((base.medianCpuMs ?? 0) / (result.medianCpuMs ?? Infinity)).toFixed(2)}×), ` +
        `${result.failed} failed in the median round`,
    );
  }
} finally {
  await Promise.allSettled(processes.map((p) => p.close()));
  await issuer.close();
}
