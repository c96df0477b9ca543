/**
 * DpopClient against a real HTTP server on loopback: a fresh proof per attempt, the nonce
 * handshake of an authorization server (400, JSON) and of a resource server (401, challenge),
 * each retried once, and a skewed clock corrected once.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { decodeJwt } from 'jose';

import { athOf } from './ath.ts';
import { DpopClient } from './dpop-client.ts';
import { createProofKey } from './proof-key.ts';
import { ServerClocks } from './server-clocks.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, proof: Record<string, unknown>) => void;

let handler: Handler;
const seen: Record<string, unknown>[] = [];
const server = createServer((req, res) => {
  const proof = decodeJwt(String(req.headers['dpop']));
  seen.push({ ...proof, authorization: req.headers['authorization'] });
  handler(req, res, proof);
});
let base: string;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** Answers a proof without `nonce-1` with a challenge, like a server that requires nonces. */
function requiringNonce(status: 400 | 401): Handler {
  return (_req, res, proof) => {
    if (proof['nonce'] === 'nonce-1') {
      res.writeHead(200, { 'DPoP-Nonce': 'nonce-2' }).end('{}');
    } else if (status === 401) {
      res
        .writeHead(401, {
          'WWW-Authenticate': 'DPoP error=use_dpop_nonce',
          'DPoP-Nonce': 'nonce-1',
        })
        .end();
    } else {
      res
        .writeHead(400, { 'Content-Type': 'application/json', 'DPoP-Nonce': 'nonce-1' })
        .end('{"error":"use_dpop_nonce"}');
    }
  };
}

describe('DpopClient', async () => {
  const key = await createProofKey();

  test("answers a resource server's 401 nonce challenge once, with a fresh proof and ath", async () => {
    handler = requiringNonce(401);
    seen.length = 0;
    const client = new DpopClient(key);
    const { response, attempts } = await client.fetch(`${base}/api/users?x=1`, {
      accessToken: 'at-1',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      attempts.map((a) => a.answer.status),
      [401, 200],
    );
    assert.deepEqual(attempts[1]!.retry, { reason: 'use_dpop_nonce', nonce: 'nonce-1' });
    assert.notEqual(seen[0]!['jti'], seen[1]!['jti']);
    assert.equal(seen[1]!['htu'], `${base}/api/users`);
    assert.equal(seen[1]!['ath'], await athOf('at-1'));
    assert.equal(seen[1]!['authorization'], 'DPoP at-1');
    assert.equal(client.nonces.get(base), 'nonce-2', 'the latest nonce is kept for the next proof');
  });

  test("answers an authorization server's 400 nonce challenge once; the next request needs none", async () => {
    handler = requiringNonce(400);
    seen.length = 0;
    const client = new DpopClient(key);
    const first = await client.fetch(`${base}/token`, { method: 'POST', body: 'grant_type=x' });
    assert.equal(first.response.status, 200);
    assert.equal(seen[0]!['authorization'], undefined, 'a proof alone: no access token');
    client.nonces.remember(base, 'nonce-1');
    const second = await client.fetch(`${base}/token`, { method: 'POST', body: 'grant_type=x' });
    assert.equal(second.attempts.length, 1);
  });

  test('sends the iat it is given, in every attempt', async () => {
    handler = requiringNonce(401);
    seen.length = 0;
    await new DpopClient(key).fetch(`${base}/a`, { iat: 1_700_000_000 });
    assert.deepEqual(
      seen.map((proof) => proof['iat']),
      [1_700_000_000, 1_700_000_000],
    );
  });

  test('retries a challenge only once, and not at all with retry: false', async () => {
    handler = (_req, res) =>
      res
        .writeHead(401, { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n' })
        .end();
    const client = new DpopClient(key);
    assert.equal((await client.fetch(`${base}/a`)).attempts.length, 2);
    assert.equal((await client.fetch(`${base}/a`, { retry: false })).attempts.length, 1);
  });

  test("with clocks, follows a server's Date and retries a proof refused for its iat once", async () => {
    const serverAhead = 600_000;
    handler = (_req, res, proof) => {
      const serverNow = Date.now() + serverAhead;
      const ok = Math.abs(Number(proof['iat']) * 1000 - serverNow) < 60_000;
      res
        .writeHead(ok ? 200 : 401, {
          Date: new Date(serverNow).toUTCString(),
          ...(ok ? {} : { 'WWW-Authenticate': 'DPoP error="invalid_dpop_proof"' }),
        })
        .end();
    };
    const client = new DpopClient(key, { clocks: new ServerClocks() });
    const { response, attempts } = await client.fetch(`${base}/a`);
    assert.equal(response.status, 200);
    assert.deepEqual(attempts[1]!.retry, { reason: 'clock_skew' });
    assert.equal(
      (await client.fetch(`${base}/a`)).attempts.length,
      1,
      'later proofs are corrected',
    );
    const plain = new DpopClient(key);
    assert.equal((await plain.fetch(`${base}/a`)).response.status, 401, 'without clocks: no retry');
  });
});
