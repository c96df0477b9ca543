/**
 * CORS for the browser apps' origins only: the single-page app (SPA_ORIGIN) and the sample apps
 * (browserOriginsOf in ../config.ts). The browser sends `Authorization`
 * and `DPoP`, so every call is preflighted; the answers must expose `DPoP-Nonce` and
 * `WWW-Authenticate`, or the app cannot read the nonce challenge and retry (RFC 9449 §8, §9).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ALLOWED_METHODS } from './routes.ts';

// Date: the app measures its clock skew from it to correct a proof's iat (RFC 9449 §11.1).
const EXPOSED_HEADERS = 'DPoP-Nonce, WWW-Authenticate, Date';
const ALLOWED_HEADERS = 'Authorization, DPoP, Content-Type';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Headers for every response: the answer differs by Origin, so caches must key on it. */
export function applyCorsHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  origins: readonly string[],
): void {
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  const origin = allowedOrigin(req, origins);
  if (origin) res.setHeader('Access-Control-Allow-Origin', origin);
}

/** Answers a preflight (after applyCorsHeaders). Another origin gets no Allow-* headers, so its browser refuses. */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  origins: readonly string[],
): void {
  if (allowedOrigin(req, origins)) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS.join(', '));
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  res.writeHead(204).end();
}

/** The request's Origin when it is one of `origins` (compared exactly), else undefined. */
function allowedOrigin(req: IncomingMessage, origins: readonly string[]): string | undefined {
  const origin = req.headers.origin;
  return origin !== undefined && origins.includes(origin) ? origin : undefined;
}
