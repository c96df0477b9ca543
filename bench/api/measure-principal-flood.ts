/**
 * Issue 19, finding 1, from outside against running servers: ten keys of the published service
 * client send valid DPoP proofs (100,000 by default) to GET /api/apps while alice, signed in with
 * the app's client, calls GET /api/users every 200 ms. Before, the service client filled the
 * replay cache and every other caller got 503; now it gets 429 past its share and alice gets 200.
 *
 *   npm run start:as & npm run start:api &      (same environment: ports, SPA_ORIGIN, nonces on)
 *   npx tsx bench/api/measure-principal-flood.ts [--proofs N] [--keys K]
 *
 * The issuer, API and app origin come from the environment as the servers read it
 * (server/config.ts). Loopback only. Prints the statuses each side got.
 */
import { parseArgs } from 'node:util';
import { createProofKey } from '@dpop-lab/protocol';

import { readConfig, SERVICE_CLIENT } from '../../server/config.ts';
import { fetchServiceToken } from '../../server/cli/conformance-token.ts';
import { DpopClient } from '../../server/testing/dpop-client.ts';
import { apiAccessToken } from '../../server/testing/sign-in.ts';
import { dpopRequests, type BenchClient } from './bench-clients.ts';
import { load, SPARE_REQUESTS } from './load.ts';

const { values } = parseArgs({
  options: {
    proofs: { type: 'string', default: '100000' },
    keys: { type: 'string', default: '10' },
  },
});
const PROOFS = Number(values.proofs);
/** Signed just before it is sent: a nonce lives one to two minutes. */
const BATCH = 10_000;
const config = readConfig();
const apps = `${config.apiPublicUrl}/api/apps`;

const service: BenchClient[] = await Promise.all(
  Array.from({ length: Number(values.keys) }, async () => {
    const key = await createProofKey();
    const { accessToken } = await fetchServiceToken({
      issuer: config.issuer,
      clientId: SERVICE_CLIENT.id,
      clientSecret: SERVICE_CLIENT.secret,
      scope: SERVICE_CLIENT.scope,
      resource: config.apiResource,
      key,
    });
    return { key, accessToken };
  }),
);
const alice = await DpopClient.create();
const aliceToken = await apiAccessToken({
  issuer: config.issuer,
  dpop: alice,
  resource: config.apiResource,
  redirectUri: `${config.spaOrigin}/login/callback`,
});

/** The API's current nonce: any answer carries one. */
async function currentNonce(): Promise<string | undefined> {
  const response = await fetch(apps);
  await response.body?.cancel();
  return response.headers.get('dpop-nonce') ?? undefined;
}

const count = (tally: Record<number, number>, status: number, n = 1) =>
  (tally[status] = (tally[status] ?? 0) + n);
const flood: Record<number, number> = {};
const aliceStatuses: Record<number, number> = {};
let flooding = true;
const started = performance.now();
const aliceCalls = (async () => {
  while (flooding) {
    const { response } = await alice.fetchWithDpop(`${config.apiPublicUrl}/api/users`, {
      accessToken: aliceToken,
    });
    await response.body?.cancel();
    count(aliceStatuses, response.status);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
})();
try {
  for (let sent = 0; sent < PROOFS; sent += BATCH) {
    const size = Math.min(BATCH, PROOFS - sent);
    const nonce = await currentNonce();
    const batch = await dpopRequests(
      service,
      apps,
      size + SPARE_REQUESTS,
      nonce === undefined ? undefined : () => nonce,
    );
    const run = await load(config.apiPublicUrl, size, (i) => batch[i]!, '/api/apps');
    for (const [status, n] of Object.entries(run.statuses)) count(flood, Number(status), n);
  }
} finally {
  flooding = false;
  await aliceCalls;
}
const seconds = ((performance.now() - started) / 1000).toFixed(0);
const show = (tally: Record<number, number>) =>
  Object.entries(tally)
    .map(([status, n]) => `${status} × ${n.toLocaleString('en-US')}`)
    .join(', ');
console.log(
  `${PROOFS.toLocaleString('en-US')} valid proofs from ${service.length} keys of ${SERVICE_CLIENT.id} in ${seconds} s: ${show(flood)}`,
);
console.log(`alice (${config.issuer}, another client) meanwhile: ${show(aliceStatuses)}`);
