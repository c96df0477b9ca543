/**
 * CORS for the single-page app's origin only (SPA_ORIGIN). The browser sends `Authorization`
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
  spaOrigin: string,
): void {
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (req.headers.origin === spaOrigin) {
    res.setHeader('Access-Control-Allow-Origin', spaOrigin);
  }
}

/** Answers a preflight (after applyCorsHeaders). Another origin gets no Allow-* headers, so its browser refuses. */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  spaOrigin: string,
): void {
  if (req.headers.origin === spaOrigin) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS.join(', '));
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  res.writeHead(204).end();
}
