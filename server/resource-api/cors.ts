/**
 * CORS for the browser apps' origins only: the single-page app (SPA_ORIGIN) and the sample apps
 * (browserOriginsOf in ../config.ts). The browser sends `Authorization` and `DPoP`, so every call
 * is preflighted; the answers must expose `DPoP-Nonce` and `WWW-Authenticate`, or the app cannot
 * read the nonce challenge and retry (RFC 9449 §8, §9).
 */
import type { ServerResponse } from 'node:http';

import type { ResponseHeaders } from './responses.ts';
import { ALLOWED_METHODS } from './routes.ts';

// Date: the app measures its clock skew from it to correct a proof's iat (RFC 9449 §11.1).
const EXPOSED_HEADERS = 'DPoP-Nonce, WWW-Authenticate, Date';
const ALLOWED_HEADERS = 'Authorization, DPoP, Content-Type';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The headers every response starts with: the answer differs by Origin, so caches must key on it.
 * A fresh object, which the response then adds to and writes in one go (./responses.ts). Only an
 * origin of `origins` (compared exactly) is allowed.
 */
export function corsHeaders(
  origin: string | undefined,
  origins: readonly string[],
): ResponseHeaders {
  const headers: ResponseHeaders = {
    Vary: 'Origin',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
  };
  if (origin !== undefined && origins.includes(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
  }
  return headers;
}

/** Answers a preflight. Another origin gets no Allow-* headers, so its browser refuses. */
export function answerPreflight(
  res: ServerResponse,
  origin: string | undefined,
  origins: readonly string[],
): void {
  const headers = corsHeaders(origin, origins);
  if (headers['Access-Control-Allow-Origin']) {
    headers['Access-Control-Allow-Methods'] = ALLOWED_METHODS.join(', ');
    headers['Access-Control-Allow-Headers'] = ALLOWED_HEADERS;
    headers['Access-Control-Max-Age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
  }
  res.writeHead(204, headers).end();
}
