/**
 * Writing responses: JSON bodies, the error response for a refused request, and the nonce header.
 *
 * Check 15 — every response is `Cache-Control: no-store`: the ones carrying a `DPoP-Nonce` must
 * not be cached (a cached nonce would be replayed to other clients and go stale, RFC 9449 §8.2),
 * and the others carry user data or an authentication challenge. attachNonce sets both headers
 * together, so a nonce can never go out cacheable.
 */
import type { ServerResponse } from 'node:http';

import { TokenError, type ResourceAccessError } from './errors.ts';
import { formatDpopChallenge, toQuotableText } from './www-authenticate.ts';

export function attachNonce(res: ServerResponse, nonce: string): void {
  res.setHeader('DPoP-Nonce', nonce);
  res.setHeader('Cache-Control', 'no-store');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

/** The status, challenge and `{ error, error_description }` body of a refused request. */
export function sendAccessError(res: ServerResponse, failure: ResourceAccessError): void {
  const description = toQuotableText(failure.description);
  const headers: Record<string, string> = {};
  if (failure.challenge) {
    // RFC 6750 §3.1: without any credentials the challenge carries no error information at all.
    headers['WWW-Authenticate'] = formatDpopChallenge({
      error: failure.error,
      errorDescription: failure.error === undefined ? undefined : description,
      scope: failure instanceof TokenError ? failure.requiredScope : undefined,
    });
  }
  if (failure.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(failure.retryAfterSeconds);
  const body =
    failure.error === undefined
      ? { error_description: description }
      : { error: failure.error, error_description: description };
  sendJson(res, failure.status, body, headers);
}
