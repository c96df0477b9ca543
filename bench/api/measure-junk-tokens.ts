/**
 * Issue 19, finding 2, from outside against running servers with opaque API tokens: how many
 * introspections do 1,000 random Bearer tokens and 300 copies of one proof with a junk token cost
 * the authorization server, and does a real opaque token still work? The introspections are
 * counted by a proxy this script puts in front of the authorization server: run the servers with
 * ISSUER naming the proxy's port and AS_PORT another one, so every request for the issuer,
 * introspection included, goes through the proxy.
 *
 *   export ISSUER=http://localhost:3970 AS_PORT=3971 API_PORT=3972 AS_API_TOKEN_FORMAT=opaque
 *   npm run start:as & npm run start:api &
 *   npx tsx bench/api/measure-junk-tokens.ts
 *
 * The junk comes from 127.0.0.2 (every 127/8 address is loopback on Linux), alice from
 * 127.0.0.1. Loopback only. Prints the statuses and the introspections counted.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { createProofKey, signProof } from '@dpop-lab/protocol';

import { readConfig } from '../../server/config.ts';
import { listen } from '../../server/listen.ts';
import { DpopClient } from '../../server/testing/dpop-client.ts';
import { apiAccessToken } from '../../server/testing/sign-in.ts';

const config = readConfig();
const issuer = new URL(config.issuer);
const users = `${config.apiPublicUrl}/api/users`;
const ATTACKER = '127.0.0.2';

let introspections = 0;
const proxy = createServer((incoming, outgoing) => {
  if (incoming.method === 'POST' && incoming.url?.endsWith('/introspection')) introspections += 1;
  const forward = request(
    {
      host: '127.0.0.1',
      port: config.asPort,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forward.on('error', () => outgoing.writeHead(502).end());
  incoming.pipe(forward);
});
const listening = await listen(proxy, Number(issuer.port), '127.0.0.1');

/** One GET of /api/users from `localAddress`; its status and headers. */
function get(headers: Record<string, string>, localAddress: string) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
    const req = request(users, { headers, localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `count` requests, 20 at a time; how many got each status. */
async function flood(count: number, headersFor: () => Promise<Record<string, string>>) {
  const statuses: Record<number, number> = {};
  for (let start = 0; start < count; start += 20) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, async () =>
        get(await headersFor(), ATTACKER),
      ),
    );
    for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return statuses;
}

const show = (tally: Record<number, number>) =>
  Object.entries(tally)
    .map(([status, n]) => `${status} × ${n}`)
    .join(', ');
const junk = () => randomBytes(32).toString('base64url');

try {
  const bearer = await flood(1_000, async () => ({ authorization: `Bearer ${junk()}` }));
  console.log(
    `1,000 random Bearer tokens: ${show(bearer)}; introspections so far ${introspections}`,
  );

  const key = await createProofKey();
  const junkToken = junk();
  const nonce = (await get({}, ATTACKER)).headers['dpop-nonce'];
  const proof = await signProof(key, {
    htm: 'GET',
    htu: users,
    accessToken: junkToken,
    nonce: typeof nonce === 'string' ? nonce : undefined,
  });
  const copies = await flood(300, async () => ({
    authorization: `DPoP ${junkToken}`,
    dpop: proof,
  }));
  console.log(
    `300 copies of one proof with a junk token: ${show(copies)}; introspections so far ${introspections}`,
  );

  const alice = await DpopClient.create();
  const token = await apiAccessToken({
    issuer: config.issuer,
    dpop: alice,
    resource: config.apiResource,
    redirectUri: `${config.spaOrigin}/login/callback`,
  });
  const before = introspections;
  const { response } = await alice.fetchWithDpop(users, { accessToken: token });
  await response.body?.cancel();
  console.log(
    `alice's real opaque token, from 127.0.0.1: ${response.status} (${introspections - before} introspection); ` +
      `introspections in all: ${introspections}`,
  );
} finally {
  await listening.close();
}
