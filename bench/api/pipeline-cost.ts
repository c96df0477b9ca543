/**
 * The CPU of the verification alone, without HTTP: DPoP Lab's whole pipeline (verifyDpopRequest,
 * nonces on, the in-memory replay cache) on distinct pre-signed proofs, against jose jwtVerify of
 * a bearer token (what the bench's plain bearer endpoint does), 10 at a time as 10 connections
 * would. Process CPU (every thread) per call, median of alternating rounds.
 *
 *   npx tsx bench/api/pipeline-cost.ts [calls per round]   (default 20,000)
 */
import { randomBytes } from 'node:crypto';

import { createRemoteJWKSet, jwtVerify } from 'jose';

import { readConfig } from '../../server/config.ts';
import { createAccessTokenSource } from '../../server/resource-api/access-token-source.ts';
import { DEFAULT_PROOF_WINDOW } from '../../server/resource-api/checks/check-proof-age.ts';
import { createDpopNonces } from '../../server/resource-api/dpop-nonce.ts';
import { expectedHtu } from '../../server/resource-api/http-uri.ts';
import { MemoryReplayCache } from '../../server/resource-api/memory-replay-cache.ts';
import { ProofHeaderCache } from '../../server/resource-api/proof-header-cache.ts';
import { startTestIssuer } from '../../server/resource-api/testing/test-issuer.ts';
import {
  verifyDpopRequest,
  type RequestLike,
  type VerificationContext,
} from '../../server/resource-api/verify-dpop-request.ts';
import { createBenchClients, dpopRequests } from './bench-clients.ts';

const CALLS = Number(process.argv[2] ?? 20_000);
const ROUNDS = 3;
const WIDTH = 10;
const PUBLIC_URL = 'http://api.bench.test';
const AUDIENCE = `${PUBLIC_URL}/api`;

const issuer = await startTestIssuer({ audience: AUDIENCE });
const secret = new Uint8Array(randomBytes(32));
const nonces = createDpopNonces({ secret });
const config = {
  ...readConfig({}),
  issuer: issuer.issuer,
  apiPublicUrl: PUBLIC_URL,
  apiResource: AUDIENCE,
};
const context: VerificationContext = {
  config,
  tokens: createAccessTokenSource(config, { jwksUrl: issuer.jwksUrl }, () => undefined),
  proofHeaders: new ProofHeaderCache(),
  replayCache: new MemoryReplayCache({ maxEntries: 1_000_000 }),
  nonces,
  bearerClientId: undefined,
  proofWindow: DEFAULT_PROOF_WINDOW,
  maxProofLength: 8 * 1024,
  now: Date.now,
  requiredScope: 'users:read',
  htu: expectedHtu(PUBLIC_URL, '/api/users'),
};
const clients = await createBenchClients(issuer);
const bearerToken = await issuer.mintAccessToken({ jkt: null, expiresIn: 3600 });
const keys = createRemoteJWKSet(new URL(issuer.jwksUrl));

async function measure(calls: number, one: (i: number) => Promise<unknown>) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i += WIDTH) {
    await Promise.all(Array.from({ length: WIDTH }, (_, j) => one(i + j)));
  }
  const used = process.cpuUsage(cpu);
  return {
    cpuUs: (used.user + used.system) / calls,
    wallUs: ((performance.now() - started) * 1000) / calls,
  };
}

const runs: Record<string, { cpuUs: number; wallUs: number }[]> = { dpop: [], bearer: [] };
for (let round = 0; round <= ROUNDS; round += 1) {
  const headers = await dpopRequests(clients, `${PUBLIC_URL}/api/users`, CALLS + WIDTH, () =>
    nonces.issue(),
  );
  const requests: RequestLike[] = headers.map((h) => ({
    method: 'GET',
    headersDistinct: { authorization: [h['authorization']!], dpop: [h['dpop']!] },
    socket: { remoteAddress: '127.0.0.1' },
  }));
  const dpop = await measure(CALLS, (i) => verifyDpopRequest(requests[i]!, context));
  const bearer = await measure(CALLS, () =>
    jwtVerify(bearerToken, keys, {
      issuer: issuer.issuer,
      audience: AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['exp'],
    }),
  );
  if (round === 0) continue; // warm-up
  runs['dpop']!.push(dpop);
  runs['bearer']!.push(bearer);
  console.log(
    `round ${round}: DPoP Lab ${dpop.cpuUs.toFixed(1)} µs CPU (${dpop.wallUs.toFixed(1)} wall), bearer ${bearer.cpuUs.toFixed(1)} µs CPU (${bearer.wallUs.toFixed(1)} wall)`,
  );
}
const median = (list: { cpuUs: number }[]) =>
  [...list].sort((a, b) => a.cpuUs - b.cpuUs)[Math.floor(list.length / 2)]!.cpuUs;
console.log(
  `median CPU per call: DPoP Lab ${median(runs['dpop']!).toFixed(1)} µs, bearer ${median(runs['bearer']!).toFixed(1)} µs`,
);
await issuer.close();
