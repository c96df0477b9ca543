/**
 * What an anonymous or hostile caller can cost the API (issue 12, items 2 and 3), measured:
 *
 * 1. Server CPU per refused request: a junk proof (ES256, signed by another key) against a proof
 *    whose header carries a 3072-bit RSA key with a ~3070-bit public exponent (garbage signature
 *    too, so it is never recorded and can be resent forever), and a valid request for scale.
 *    The API runs `npm run start:api`'s entry point in its own process; its CPU time (user +
 *    system) comes from /proc/<pid>/stat before and after each batch (Linux only).
 * 2. The replay share: ten keys of the service client (one principal) flood a scaled-down replay
 *    cache (2,000 entries) with valid proofs until refused; then alice sends one valid request.
 *
 *   npx tsx bench/api/abuse-cost.ts
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

import { athOf, createProofKey, type ProofKey, signProof } from '@dpop-lab/protocol';
import { base64url } from 'jose';

import { readConfig, SERVICE_CLIENT } from '../../server/config.ts';
import { startResourceApi } from '../../server/resource-api/create-resource-api.ts';
import { createDpopNonces } from '../../server/resource-api/dpop-nonce.ts';
import { MemoryReplayCache } from '../../server/resource-api/memory-replay-cache.ts';
import {
  garbageRsaSignature,
  hostileRsaJwk,
} from '../../server/resource-api/testing/hostile-rsa-jwk.ts';
import { startTestIssuer } from '../../server/resource-api/testing/test-issuer.ts';
import { BENCH_PUBLIC_URL, startApiMain } from './start-api-main.ts';

const PUBLIC_URL = BENCH_PUBLIC_URL;
const HTU = `${PUBLIC_URL}/api/users`;
const REQUESTS = 300;
const ROUNDS = 3;
const REPLAY_CAPACITY = 2_000;

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A proof that passes every check before the signature, with an RSA key of this size. */
function rsaProof(modulusBits: number, exponentBits: number, token: string, nonce: string) {
  const jwk = hostileRsaJwk(modulusBits, exponentBits);
  const claims = {
    jti: randomBytes(16).toString('base64url'),
    htm: 'GET',
    htu: HTU,
    iat: Math.floor(Date.now() / 1000),
    ath: '',
    nonce,
  };
  // A signature below the modulus, so the exponentiation really runs. The same proof every
  // time: it is refused, so never recorded, and can be resent for ever.
  const signature = garbageRsaSignature(modulusBits);
  return async () => {
    claims.ath = await athOf(token);
    const part = (value: unknown) => base64url.encode(JSON.stringify(value));
    return `${part({ typ: 'dpop+jwt', alg: 'RS256', jwk })}.${part(claims)}.${signature}`;
  };
}

function get(agent: Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/users`, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function cpuPerRequest(): Promise<Record<string, { cpuMs: number; status: number }>> {
  const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
  const secret = randomBytes(32);
  const nonces = createDpopNonces({ secret: new Uint8Array(secret) });
  const key = await createProofKey();
  const token = await issuer.mintAccessToken({ jkt: key.thumbprint, expiresIn: 3600 });
  const started = await startApiMain({
    API_ISSUER: issuer.issuer,
    API_NONCE_SECRET: secret.toString('base64url'),
  });
  const api = {
    url: started.url,
    pid: started.child.pid!,
    stop: () => started.child.kill('SIGTERM'),
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const kinds: Record<string, () => Promise<string>> = {
    'valid request (ES256 proof, bound token)': () =>
      signProof(key, { htm: 'GET', htu: HTU, accessToken: token, nonce: nonces.issue() }),
    'junk proof (ES256, bad signature)': async () =>
      signProof(
        key,
        { htm: 'GET', htu: HTU, accessToken: token, nonce: nonces.issue() },
        { signWith: await createProofKey() },
      ),
  };
  const hostile = rsaProof(3072, 3070, token, nonces.issue());
  kinds['RSA 3072-bit key, 3070-bit exponent (bad signature)'] = hostile;
  try {
    // Warm up every path (JIT, key caches) before measuring.
    for (const make of Object.values(kinds)) {
      await get(agent, api.url, { authorization: `DPoP ${token}`, dpop: await make() });
    }
    const samples: Record<string, number[]> = {};
    const statuses: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, make] of Object.entries(kinds)) {
        const proofs = await Promise.all(Array.from({ length: REQUESTS }, make));
        const before = cpuMs(api.pid);
        let next = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (next < proofs.length) {
              const dpop = proofs[next++]!;
              statuses[name] = await get(agent, api.url, { authorization: `DPoP ${token}`, dpop });
            }
          }),
        );
        (samples[name] ??= []).push((cpuMs(api.pid) - before) / REQUESTS);
      }
    }
    return Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [
        name,
        {
          cpuMs: values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!,
          status: statuses[name]!,
        },
      ]),
    );
  } finally {
    agent.destroy();
    api.stop();
    await issuer.close();
  }
}

async function replayShare() {
  const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
  const config = {
    ...readConfig({}),
    issuer: issuer.issuer,
    apiIssuer: issuer.issuer,
    apiPublicUrl: PUBLIC_URL,
    apiResource: `${PUBLIC_URL}/api`,
    apiRequireNonce: false,
  };
  const api = await startResourceApi({
    config,
    port: 0,
    host: '127.0.0.1',
    jwksUrl: issuer.jwksUrl,
    replayCache: new MemoryReplayCache({ maxEntries: REPLAY_CAPACITY }),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const send = async (who: ProofKey, token: string) =>
    get(agent, api.url, {
      authorization: `DPoP ${token}`,
      dpop: await signProof(who, { htm: 'GET', htu: HTU, accessToken: token }),
    });
  try {
    // Ten keys of the service client (one principal, issue 19), taking turns; then alice.
    const flooders = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const key = await createProofKey();
        const token = await issuer.mintAccessToken({
          jkt: key.thumbprint,
          clientId: SERVICE_CLIENT.id,
          subject: SERVICE_CLIENT.id,
        });
        return { key, token };
      }),
    );
    const victim = await createProofKey();
    const victimToken = await issuer.mintAccessToken({ jkt: victim.thumbprint, subject: 'alice' });
    let accepted = 0;
    let refusal = 200;
    for (let i = 0; i < REPLAY_CAPACITY + 10 && refusal === 200; i += 1) {
      const flooder = flooders[i % flooders.length]!;
      refusal = await send(flooder.key, flooder.token);
      if (refusal === 200) accepted += 1;
    }
    return { accepted, refusal, victim: await send(victim, victimToken) };
  } finally {
    agent.destroy();
    await api.close();
    await issuer.close();
  }
}

const cpu = await cpuPerRequest();
console.log(`Server CPU per request (median of ${ROUNDS} batches of ${REQUESTS}, 4 connections):`);
for (const [name, { cpuMs, status }] of Object.entries(cpu)) {
  console.log(`  ${name}: ${cpuMs.toFixed(2)} ms (HTTP ${status})`);
}
const share = await replayShare();
console.log(
  `Replay share (cache of ${REPLAY_CAPACITY} entries): ten keys of the service client recorded ` +
    `${share.accepted} proofs (${Math.round((share.accepted / REPLAY_CAPACITY) * 100)}%), then got ` +
    `HTTP ${share.refusal}; alice's valid request (another client) then got HTTP ${share.victim}.`,
);
