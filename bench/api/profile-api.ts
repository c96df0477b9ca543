/**
 * Where an API request's CPU goes: runs DPoP Lab's API and the plain bearer endpoint of the bench
 * (./api-server.ts) under `node --cpu-prof`, sends each the same load as `npm run bench` (a
 * distinct pre-signed proof per request for DPoP Lab, nonces on), and prints each profile's top
 * functions by self time, and the time by file, so the two can be compared line by line.
 *
 *   npx tsx bench/api/profile-api.ts [requests]     (default 20,000 per API)
 *
 * The .cpuprofile files are kept in dist/bench/profiles/ (open them in Chrome DevTools).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { createDpopNonces } from '../../server/resource-api/dpop-nonce.ts';
import { startTestIssuer } from '../../server/resource-api/testing/test-issuer.ts';
import { OUT } from '../lib/paths.ts';
import { benchApiSpec, startApiProcess } from './api-process.ts';
import type { ApiKind } from './api-protocol.ts';
import { createBenchClients, dpopRequests } from './bench-clients.ts';
import { load, SPARE_REQUESTS } from './load.ts';
import { BENCH_PUBLIC_URL } from './start-api-main.ts';

const PUBLIC_URL = BENCH_PUBLIC_URL;
const REQUESTS = Number(process.argv[2] ?? 20_000);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per file, in ms, from a V8 .cpuprofile. */
function summarise(profile: CpuProfile, top = 25): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const file =
      frame.url.replace(/^.*\/(node_modules\/[^/]+|server|bench)\//, '$1/') || '(native)';
    const name = `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + ms);
    const group = frame.url ? file.replace(/\/[^/]*$/, '') : frame.functionName;
    byFile.set(group, (byFile.get(group) ?? 0) + ms);
  });
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([name, ms]) =>
          `  ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`,
      );
  return [
    `  total ${total.toFixed(0)} ms sampled`,
    ...rows(self, top),
    '  by folder / native:',
    ...rows(byFile, 15),
  ];
}

const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
const secret = new Uint8Array(randomBytes(32));
const clients = await createBenchClients(issuer);
const bearerToken = await issuer.mintAccessToken({ jkt: null, expiresIn: 3600 });
const nonces = createDpopNonces({ secret });
const dir = join(OUT, 'profiles');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });

for (const kind of ['bearer', 'dpop-lab'] as ApiKind[]) {
  const api = await startApiProcess(benchApiSpec(kind, issuer, secret), [
    '--cpu-prof',
    `--cpu-prof-dir=${join(dir, kind)}`,
  ]);
  const requests =
    kind === 'bearer'
      ? undefined
      : await dpopRequests(clients, `${PUBLIC_URL}/api/users`, REQUESTS + SPARE_REQUESTS, () =>
          nonces.issue(),
        );
  const before = (await api.stats()).cpuMicros;
  const client = process.cpuUsage();
  const run = await load(api.url, REQUESTS, (i) =>
    requests ? requests[i]! : { authorization: `Bearer ${bearerToken}` },
  );
  const clientUsage = process.cpuUsage(client);
  const clientUs = (clientUsage.user + clientUsage.system) / run.ok;
  const cpuMs = ((await api.stats()).cpuMicros - before) / 1000;
  await api.close();
  const [file] = await readdir(join(dir, kind));
  const profile = JSON.parse(await readFile(join(dir, kind, file!), 'utf8')) as CpuProfile;
  console.log(
    `\n${kind}: ${Math.round(run.rps)} req/s, ${run.failed} failed, server CPU ${((cpuMs * 1000) / run.ok).toFixed(1)} µs/request, load generator ${clientUs.toFixed(1)} µs/request`,
  );
  for (const line of summarise(profile)) console.log(line);
}
await issuer.close();
