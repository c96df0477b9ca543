import { dpopChallengeOf } from './www-authenticate.ts';

/**
 * What a server's answer says to a DPoP client, read once: a nonce cache, a clock, a log and the
 * retry rule all work from this one value.
 */
export interface DpopAnswer {
  /** 0 when no response arrived (a network or CORS failure). */
  status: number;
  url?: string;
  /**
   * The server's `error` and `error_description`: from a `WWW-Authenticate: DPoP` challenge
   * (resource servers, RFC 9449 §7.1), else from a JSON body (token endpoints, RFC 6749 §5.2).
   */
  error?: string;
  description?: string;
  /**
   * Whether a `WWW-Authenticate` header was readable, of any scheme. A browser hides it from
   * script unless the server lists it in `Access-Control-Expose-Headers`.
   */
  challenged: boolean;
  /** The algorithms the DPoP challenge's `algs` lists (RFC 9449 §7.1). */
  algs?: string[];
  /** A new `DPoP-Nonce` (RFC 9449 §8, §9). */
  nonce?: string;
  /** The server's clock from its `Date` header (RFC 9110 §6.6.1), epoch milliseconds. */
  date?: number;
}

/**
 * A response as any HTTP client holds it: fetch's `Response` with its body read, or Angular's
 * `HttpResponse` and `HttpErrorResponse` as they are.
 */
export interface HttpAnswer {
  status: number;
  url?: string | null;
  /**
   * fetch's `Headers` (which joins a repeated header with ", ") or Angular's `HttpHeaders` (whose
   * `getAll` gives each value).
   */
  headers: { get(name: string): string | null; getAll?(name: string): string[] | null };
  /** The body: parsed JSON, or text that may be JSON. Read only for an error status (4xx, 5xx). */
  body?: unknown;
  /** Where Angular's `HttpErrorResponse` keeps the body. */
  error?: unknown;
}

/** A body longer than this is not an OAuth error body: it is not parsed. */
const MAX_ERROR_BODY_CHARACTERS = 64 * 1024;

/** Reads the DPoP-relevant parts of a response. */
export function readDpopAnswer(response: HttpAnswer): DpopAnswer {
  const { headers } = response;
  const wwwAuthenticate = headers.getAll
    ? headers.getAll('WWW-Authenticate')
    : headers.get('WWW-Authenticate');
  const read: DpopAnswer = { status: response.status, challenged: wwwAuthenticate !== null };
  if (response.url) read.url = response.url;
  const challenge = dpopChallengeOf(wwwAuthenticate);
  const reported = challenge?.['error']
    ? { error: challenge['error'], description: challenge['error_description'] }
    : response.status >= 400
      ? errorInBody(response.body ?? response.error)
      : null;
  if (reported?.error) read.error = reported.error;
  if (reported?.description) read.description = reported.description;
  if (challenge?.['algs']) read.algs = challenge['algs'].split(/\s+/).filter(Boolean);
  const nonce = headers.get('DPoP-Nonce')?.trim();
  if (nonce) read.nonce = nonce;
  const date = Date.parse(headers.get('Date') ?? '');
  if (!Number.isNaN(date)) read.date = date;
  return read;
}

/** `{ error, description }` of an OAuth error body (RFC 6749 §5.2), or null. */
function errorInBody(body: unknown): { error: string; description?: string } | null {
  if (typeof body === 'string') {
    if (body.length > MAX_ERROR_BODY_CHARACTERS) return null;
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
