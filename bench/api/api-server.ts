/**
 * One API under test, in its own process (forked by ./api-process.ts), so the load generator
 * and the server each have a core. `BENCH_API` (JSON, see ApiSpec) says which:
 *
 * - `dpop-lab`: the real resource API (startResourceApi): every RFC 9449 check, the in-memory
 *   replay cache, nonces on. Its clock can be moved forward (to show the replay cache expiring).
 * - `bearer`: the same route with plain bearer JWT checks only: a node:http server and jose
 *   `jwtVerify` (signature by the issuer's JWKS, typ at+jwt, iss, aud, exp) plus the scope.
 * - `auth0`: Express with auth0's express-oauth2-jwt-bearer in DPoP-required mode (proof
 *   signature, typ, htm, htu, iat window, ath, cnf.jkt; it has no replay cache and no nonces).
 *
 * All three answer GET /api/users with the same JSON. Messages from the parent: `stats` (RSS,
 * heap, replay-cache size, after a full GC when `gc` is true) and `advance` (move the clock).
 */
import { createServer, type ServerResponse } from 'node:http';

import express from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import { createRemoteJWKSet, jwtVerify } from 'jose';

import { readConfig, type WorldConfig } from '../../server/config.ts';
import { listen } from '../../server/listen.ts';
import { startResourceApi } from '../../server/resource-api/create-resource-api.ts';
import { listUsers } from '../../server/resource-api/demo-data.ts';
import { MemoryReplayCache } from '../../server/resource-api/memory-replay-cache.ts';
import type { ApiKind, ApiSpec, ChildMessage, ParentMessage } from './api-protocol.ts';

const spec = JSON.parse(process.env['BENCH_API'] ?? '{}') as ApiSpec;
let clockOffsetMs = 0;
const now = () => Date.now() + clockOffsetMs;
let replayCache: MemoryReplayCache | undefined;

async function startDpopLab(): Promise<string> {
  const config: WorldConfig = {
    ...readConfig({}),
    issuer: spec.issuer,
    apiPublicUrl: spec.publicUrl,
    apiResource: spec.audience,
    apiRequireNonce: true,
  };
  replayCache = new MemoryReplayCache({ now });
  const api = await startResourceApi({
    config,
    port: 0,
    host: '127.0.0.1',
    jwksUrl: spec.jwksUrl,
    nonceSecret: new Uint8Array(Buffer.from(spec.nonceSecret, 'base64url')),
    replayCache,
    now,
  });
  return api.url;
}

async function startBearer(): Promise<string> {
  const keys = createRemoteJWKSet(new URL(spec.jwksUrl));
  const body = JSON.stringify(listUsers());
  const refuse = (res: ServerResponse, error: string) => {
    res.writeHead(401, { 'WWW-Authenticate': `Bearer error="${error}"` }).end();
  };
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/api/users') {
      res.writeHead(404).end();
      return;
    }
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(req.headers.authorization ?? '');
    if (!match) return refuse(res, 'invalid_request');
    jwtVerify(match[1]!, keys, {
      issuer: spec.issuer,
      audience: spec.audience,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['exp'],
    }).then(
      ({ payload }) => {
        const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
        if (!scopes.includes('users:read')) {
          res.writeHead(403).end();
          return;
        }
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
          'Cache-Control': 'no-store',
        });
        res.end(body);
      },
      () => refuse(res, 'invalid_token'),
    );
  });
  return (await listen(server, 0, '127.0.0.1')).url;
}

async function startAuth0(): Promise<string> {
  const app = express();
  app.get(
    '/api/users',
    auth({
      issuer: spec.issuer,
      jwksUri: spec.jwksUrl,
      audience: spec.audience,
      tokenSigningAlg: 'ES256',
      dpop: { enabled: true, required: true },
    }),
    requiredScopes('users:read'),
    (_req, res) => res.set('Cache-Control', 'no-store').json(listUsers()),
  );
  return (await listen(createServer(app), 0, '127.0.0.1')).url;
}

const starters: Record<ApiKind, () => Promise<string>> = {
  'dpop-lab': startDpopLab,
  bearer: startBearer,
  auth0: startAuth0,
};

function send(message: ChildMessage): void {
  process.send?.(message);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'advance') {
    clockOffsetMs += message.ms;
    send({ type: 'advanced', offsetMs: clockOffsetMs });
  } else if (message.type === 'stats') {
    void sendStats(message.gc);
  }
});

/**
 * After a full GC when `gc`: twice, a moment apart, because V8 frees the memory of dead
 * ArrayBuffers (the replay cache's typed arrays) on a background task after the collection.
 */
async function sendStats(gc: boolean): Promise<void> {
  if (gc && globalThis.gc) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc();
  }
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  send({
    type: 'stats',
    rss,
    heapUsed,
    arrayBuffers,
    cpuMicros: user + system,
    replayCacheSize: replayCache?.size ?? null,
  });
}

process.on('disconnect', () => process.exit(0));

send({ type: 'ready', url: await starters[spec.kind]() });
