import { HttpErrorResponse, HttpResponseBase } from '@angular/common/http';

import { parseChallenges } from './www-authenticate';

/**
 * What a response says to a DPoP client, read once: the interceptor's nonce cache, clock, events
 * and retry rules all work from this one value.
 */
export interface DpopResponse {
  /** 0 when no response arrived (network or CORS failure). */
  status: number;
  url: string | null;
  /**
   * The server's `error` and `error_description`: from a `WWW-Authenticate: DPoP` challenge
   * (resource servers, RFC 9449 §7.1), else from a JSON body (token endpoints, RFC 6749 §5.2).
   */
  error?: string;
  description?: string;
  /**
   * Whether a `WWW-Authenticate` header was readable, of any scheme: CORS hides it from the
   * browser unless the server lists it in `Access-Control-Expose-Headers`.
   */
  challenged: boolean;
  /** The algorithms the challenge's `algs` lists (RFC 9449 §7.1). */
  algs?: string[];
  /** A new `DPoP-Nonce` (RFC 9449 §8, §9). */
  nonce?: string;
  /** The server's clock from its `Date` header (RFC 9110 §6.6.1), epoch milliseconds. */
  date?: number;
}

/** Reads the DPoP-relevant parts of a response (or of an `HttpErrorResponse`). */
export function readDpopResponse(response: HttpResponseBase): DpopResponse {
  const challenges = response.headers.getAll('WWW-Authenticate') ?? [];
  const read: DpopResponse = {
    status: response.status,
    url: response.url,
    challenged: challenges.length > 0,
  };
  const challenge = parseChallenges(challenges).find(
    (c) => c.scheme.toLowerCase() === 'dpop',
  )?.params;
  const reported = challenge?.['error']
    ? { error: challenge['error'], description: challenge['error_description'] }
    : errorInBody(response instanceof HttpErrorResponse ? response.error : bodyOf(response));
  if (reported?.error) read.error = reported.error;
  if (reported?.description) read.description = reported.description;
  if (challenge?.['algs']) read.algs = challenge['algs'].split(/\s+/).filter(Boolean);
  const nonce = response.headers.get('DPoP-Nonce')?.trim();
  if (nonce) read.nonce = nonce;
  const date = Date.parse(response.headers.get('Date') ?? '');
  if (!Number.isNaN(date)) read.date = date;
  return read;
}

function bodyOf(response: HttpResponseBase): unknown {
  return 'body' in response ? response.body : undefined;
}

function errorInBody(body: unknown): { error?: string; description?: string } | null {
  if (typeof body === 'string') {
    try {
      return errorInBody(JSON.parse(body));
    } catch {
      return null;
    }
  }
  if (typeof body !== 'object' || body === null) return null;
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error !== 'string' || !error) return null;
  return typeof error_description === 'string'
    ? { error, description: error_description }
    : { error };
}
