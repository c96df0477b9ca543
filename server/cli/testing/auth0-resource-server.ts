/**
 * Test fixture: a resource server made of auth0's express-oauth2-jwt-bearer (a devDependency) in
 * DPoP-required mode, for `npm run conformance` to judge, and for bench/conformance-compare.ts
 * to set beside the embedded API. It checks the proof's signature, typ, htm, htu, iat window and
 * ath, and cnf.jkt; it keeps no jti cache (so it accepts replays), compares htm without regard
 * to case, and issues no nonces.
 *
 *   const auth0 = await startAuth0ResourceServer({ issuer, audience, scope: 'apps:read' });
 *   auth0.url      // http://127.0.0.1:<port>; it serves GET /api/apps (AUTH0_API_PATH)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';

import { listen, type ListeningServer } from '../../listen.ts';
import { listApps } from '../../resource-api/demo-data.ts';

export const AUTH0_API_PATH = '/api/apps';

type Handler = (...args: never[]) => unknown;

/** The part of Express 5 used here: the workspace has no @types/express. */
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  get(path: string, ...handlers: Handler[]): ExpressApp;
  use(handler: Handler): ExpressApp;
}

const express = createRequire(import.meta.url)('express') as () => ExpressApp;

/**
 * auth0's refusals as it makes them, without Express's default handler printing every stack
 * (Express tells an error handler by its four parameters).
 */
function quietly(error: unknown, _req: IncomingMessage, res: ServerResponse, _next: unknown): void {
  const { status = 500, headers = {} } = error as {
    status?: number;
    headers?: Record<string, string>;
  };
  res.writeHead(status, headers).end();
}

export function startAuth0ResourceServer(options: {
  issuer: string;
  audience: string;
  scope: string;
}): Promise<ListeningServer> {
  const app = express()
    .get(
      AUTH0_API_PATH,
      auth({
        issuer: options.issuer,
        jwksUri: `${options.issuer}/jwks`,
        audience: options.audience,
        tokenSigningAlg: 'ES256',
        dpop: { enabled: true, required: true },
      }) as Handler,
      requiredScopes(options.scope) as Handler,
      (_req: IncomingMessage, res: ServerResponse) =>
        res
          .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          .end(JSON.stringify(listApps())),
    )
    .use(quietly);
  return listen(createServer(app), 0, '127.0.0.1');
}
