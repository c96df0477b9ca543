/**
 * Several API instances behind one address, sharing a real redis-server (started by this file on
 * a free loopback port) as the replay store and one API_NONCE_SECRET: a proof is accepted once
 * across all instances, a nonce from one is accepted by the others, and a Redis outage fails
 * closed (503, fast) and heals by itself. Last, the same with `npm run start:api` processes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProofKey, type ProofKey, signProof } from '@dpop-lab/protocol';

import { readConfig, type WorldConfig } from '../config.ts';
import { freePort } from '../testing/free-port.ts';
import { startResourceApi, type RunningResourceApi } from './create-resource-api.ts';
import { createDpopNonces } from './dpop-nonce.ts';
import { send, type TestResponse } from './testing/http-client.ts';
import { startRedisOrSkip } from './testing/redis-server.ts';
import { startTestIssuer, type TestIssuer } from './testing/test-issuer.ts';

const PUBLIC_URL = 'http://api.dpop-lab.test';
const USERS = `${PUBLIC_URL}/api/users`;
const { redis, skip } = await startRedisOrSkip();
if (skip) console.log(`# SKIPPED shared replay cache tests: ${skip}`);

const errorOf = (response: TestResponse) => (response.body as Record<string, unknown>)['error'];
const descriptionOf = (response: TestResponse) =>
  String((response.body as Record<string, unknown>)['error_description']);

describe('two API instances sharing Redis and API_NONCE_SECRET', { skip }, () => {
  let issuer: TestIssuer;
  let key: ProofKey;
  let config: WorldConfig;
  const nonceSecret = new Uint8Array(randomBytes(32));
  const logs: string[] = [];
  let a: RunningResourceApi;
  let b: RunningResourceApi;

  const start = (secret = nonceSecret) =>
    startResourceApi({
      config,
      port: 0,
      host: '127.0.0.1',
      nonceSecret: secret,
      jwksUrl: issuer.jwksUrl,
      log: (message) => logs.push(message),
    });
  const token = () => issuer.mintAccessToken({ jkt: key.thumbprint });
  /** A fresh, fully valid proof for GET /api/users carrying `nonce`. */
  const proof = (accessToken: string, nonce = createDpopNonces({ secret: nonceSecret }).issue()) =>
    signProof(key, { htm: 'GET', htu: USERS, accessToken, nonce });
  const call = (api: RunningResourceApi, accessToken: string, dpop: string) =>
    send(api.url, { headers: { authorization: `DPoP ${accessToken}`, dpop } });

  before(async () => {
    issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
    key = await createProofKey();
    config = {
      ...readConfig({}),
      issuer: issuer.issuer,
      apiPublicUrl: PUBLIC_URL,
      apiResource: `${PUBLIC_URL}/api`,
      apiRequireNonce: true,
      apiReplayStore: redis!.url,
    };
    [a, b] = await Promise.all([start(), start()]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await issuer?.close();
    await redis?.close();
  });

  test('both instances listen on their own port and report the shared store as connected', () => {
    assert.notEqual(a.url, b.url);
    assert.equal(a.replayStore, `${redis!.url} (shared), connected`);
    assert.equal(b.replayStore, a.replayStore);
  });

  test('a proof accepted by instance A is refused by instance B as a replay (and by A again)', async () => {
    const accessToken = await token();
    const dpop = await proof(accessToken);
    const atA = await call(a, accessToken, dpop);
    assert.equal(atA.status, 200, atA.text);

    const atB = await call(b, accessToken, dpop);
    assert.equal(atB.status, 401, atB.text);
    assert.equal(atB.challenge?.params['error'], 'invalid_dpop_proof');
    assert.match(atB.challenge?.params['error_description'] ?? '', /already used/);

    assert.equal((await call(a, accessToken, dpop)).status, 401);
    assert.equal((await call(b, accessToken, await proof(accessToken))).status, 200, 'a new proof');
  });

  test('50 concurrent copies of one proof spread over both instances: exactly one 200', async () => {
    const accessToken = await token();
    const dpop = await proof(accessToken);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(i % 2 ? a : b, accessToken, dpop)),
    );
    const statuses = responses.map((response) => response.status);
    assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(' '));
    for (const refused of responses.filter((response) => response.status !== 200)) {
      assert.equal(refused.status, 401, refused.text);
      assert.equal(refused.challenge?.params['error'], 'invalid_dpop_proof');
    }
  });

  test('a nonce issued by A is accepted by B (same API_NONCE_SECRET)', async () => {
    const accessToken = await token();
    const challenged = await send(a.url, {
      headers: {
        authorization: `DPoP ${accessToken}`,
        dpop: await signProof(key, { htm: 'GET', htu: USERS, accessToken }),
      },
    });
    assert.equal(challenged.status, 401);
    assert.equal(challenged.challenge?.params['error'], 'use_dpop_nonce');
    const nonceFromA = String(challenged.headers['dpop-nonce']);

    const atB = await call(b, accessToken, await proof(accessToken, nonceFromA));
    assert.equal(atB.status, 200, atB.text);
  });

  test('control: an instance with another nonce secret refuses that nonce (use_dpop_nonce)', async () => {
    const other = await start(new Uint8Array(randomBytes(32)));
    try {
      const accessToken = await token();
      const response = await call(other, accessToken, await proof(accessToken));
      assert.equal(response.status, 401, response.text);
      assert.equal(response.challenge?.params['error'], 'use_dpop_nonce');
    } finally {
      await other.close();
    }
  });

  test('Redis stopped mid-run: 503 at once on both (fail closed), then 200 again after it restarts', async () => {
    const accessToken = await token();
    assert.equal((await call(a, accessToken, await proof(accessToken))).status, 200);
    logs.length = 0;

    await redis!.stop();
    // Each request is answered 503 at once: none waits for Redis, none is accepted unchecked.
    let sawAll503 = false;
    for (let round = 0; round < 40 && !sawAll503; round += 1) {
      const responses: TestResponse[] = [];
      for (const api of [a, b, a, b]) {
        const started = Date.now();
        responses.push(await call(api, accessToken, await proof(accessToken)));
        assert.ok(Date.now() - started < 1_500, `a request took ${Date.now() - started} ms`);
      }
      sawAll503 = responses.every((response) => response.status === 503);
      if (!sawAll503) await sleep(50);
    }
    assert.ok(sawAll503, 'both instances answer 503 while Redis is down');
    const down = await call(b, accessToken, await proof(accessToken));
    assert.equal(down.status, 503, down.text);
    assert.equal(errorOf(down), 'temporarily_unavailable');
    assert.match(descriptionOf(down), /replay store is unavailable.*retry/);
    assert.equal(down.headers['retry-after'], '5');
    assert.equal(
      down.challenge?.params['error'],
      'temporarily_unavailable',
      'the challenge says: not the client’s fault, retry later',
    );

    // Many refused requests, but the outage is logged once per instance, not once per request.
    const outageLines = logs.filter((line) => /is unavailable/.test(line));
    assert.equal(outageLines.length, 2, logs.join('\n'));

    await redis!.restart();
    for (const api of [a, b]) {
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await call(api, accessToken, await proof(accessToken))).status;
        if (status === 200) break;
        await sleep(100);
      }
      assert.equal(status, 200, `${api.url} recovers by itself`);
    }
    assert.equal(logs.filter((line) => /available again/.test(line)).length, 2, logs.join('\n'));

    // And replays are refused across instances again.
    const dpop = await proof(accessToken);
    assert.equal((await call(b, accessToken, dpop)).status, 200);
    assert.equal((await call(a, accessToken, dpop)).status, 401);
  });

  test('Redis that stops answering (frozen): 503 after the 1 s command timeout, no hang', async () => {
    const accessToken = await token();
    const dpop = await proof(accessToken);
    redis!.freeze();
    try {
      const started = Date.now();
      const response = await call(a, accessToken, dpop);
      const took = Date.now() - started;
      assert.equal(response.status, 503, response.text);
      assert.ok(took >= 900 && took < 3_000, `the 503 took ${took} ms: ${response.text}`);
    } finally {
      redis!.thaw();
    }
  });
});

interface ApiProcess {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs the `start:api` script's entry point with `env` (one node process, no npm wrapper). */
function runStartApi(env: Record<string, string>): ApiProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/resource-api/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitForLine(api: ApiProcess, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!pattern.test(api.output())) {
    if (api.child.exitCode !== null || Date.now() > deadline)
      assert.fail(`start:api did not print ${pattern}; its output:\n${api.output()}`);
    await sleep(50);
  }
}

describe('npm run start:api: two processes behind one API_PUBLIC_URL', { skip }, () => {
  let localRedis: Awaited<ReturnType<typeof startRedisOrSkip>>['redis'];
  let issuer: TestIssuer;
  const processes: ApiProcess[] = [];

  before(async () => {
    localRedis = (await startRedisOrSkip()).redis;
    issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
  });
  after(async () => {
    for (const api of processes) if (api.child.exitCode === null) api.child.kill('SIGTERM');
    await Promise.all(processes.map((api) => api.exit));
    await issuer?.close();
    await localRedis?.close();
  });

  test('the script runs server/resource-api/main.ts', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts['start:api'], 'tsx server/resource-api/main.ts');
  });

  test('API_PORT, API_PUBLIC_URL, API_REPLAY_STORE and API_NONCE_SECRET are honoured', async () => {
    const secret = randomBytes(32).toString('base64url');
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      processes.push(
        runStartApi({
          API_PORT: String(port),
          API_PUBLIC_URL: PUBLIC_URL,
          API_REPLAY_STORE: localRedis!.url,
          API_NONCE_SECRET: secret,
          ISSUER: issuer.issuer,
        }),
      );
    }
    for (const [i, api] of processes.entries()) {
      await waitForLine(api, /resource API {2}http:\/\/api\.dpop-lab\.test\/api\/users/);
      assert.match(api.output(), new RegExp(`listening on http://localhost:${ports[i]};`));
      assert.match(
        api.output(),
        new RegExp(`replay store ${localRedis!.url} \\(shared\\), connected`),
      );
    }
    const [urlA, urlB] = ports.map((port) => `http://localhost:${port}`) as [string, string];

    const key = await createProofKey();
    const accessToken = await issuer.mintAccessToken({ jkt: key.thumbprint });
    const request = { htm: 'GET', htu: USERS, accessToken };
    const authorization = `DPoP ${accessToken}`;
    const challenged = await send(urlA, {
      headers: { authorization, dpop: await signProof(key, request) },
    });
    assert.equal(challenged.status, 401, challenged.text);
    const nonceFromA = String(challenged.headers['dpop-nonce']);

    const dpop = await signProof(key, { ...request, nonce: nonceFromA });
    const atB = await send(urlB, { headers: { authorization, dpop } });
    assert.equal(atB.status, 200, `B accepts A's nonce: ${atB.text}`);
    const replayAtA = await send(urlA, { headers: { authorization, dpop } });
    assert.equal(replayAtA.status, 401, replayAtA.text);
    assert.equal(replayAtA.challenge?.params['error'], 'invalid_dpop_proof');
  });

  test('a bad API_REPLAY_STORE stops it at start with a message saying what to write', async () => {
    const api = runStartApi({ API_PORT: '0', API_REPLAY_STORE: 'localhost:6379' });
    processes.push(api);
    assert.equal(await api.exit, 1, api.output());
    assert.match(
      api.output(),
      /resource API: cannot start: API_REPLAY_STORE=localhost:6379 .* redis:\/\/host:port/,
    );
  });
});
