/**
 * Writing responses: JSON bodies, the error response for a refused request.
 *
 * A response's headers are gathered in one object (CORS, the nonce, the challenge…) and written
 * with the status in one writeHead: Node then serialises them once, instead of validating and
 * storing each setHeader call and merging them again (issue 19: the DPoP path's cost beyond
 * bearer's).
 *
 * Check 15 — every response is `Cache-Control: no-store`: the ones carrying a `DPoP-Nonce` must
 * not be cached (a cached nonce would be replayed to other clients and go stale, RFC 9449 §8.2),
 * and the others carry user data or an authentication challenge. sendJsonText sets it on every
 * response, so a nonce can never go out cacheable.
 */
import type { ServerResponse } from 'node:http';

import { TokenError, type ResourceAccessError } from './errors.ts';
import { formatDpopChallenge, toQuotableText } from './www-authenticate.ts';

export type ResponseHeaders = Record<string, string>;

/** `json` (already serialised) with `status` and `headers`. */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  json: string,
  headers: ResponseHeaders = {},
): void {
  headers['Cache-Control'] = 'no-store';
  headers['X-Content-Type-Options'] = 'nosniff';
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(json));
  res.writeHead(status, headers).end(json);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: ResponseHeaders = {},
): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** The status, challenge and `{ error, error_description }` body of a refused request. */
export function sendAccessError(
  res: ServerResponse,
  failure: ResourceAccessError,
  headers: ResponseHeaders = {},
): void {
  const description = toQuotableText(failure.description);
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
