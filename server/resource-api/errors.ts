/**
 * The errors a protected-resource request can end with. Every check throws one of these; the
 * server turns it into a status, a `WWW-Authenticate: DPoP …` challenge (RFC 9449 §7.1,
 * RFC 6750 §3) and a JSON body `{ error, error_description }`.
 *
 * A description says what was wrong and what the client should do about it.
 */

/** Error codes of the DPoP scheme that concern the request or its proof (RFC 6750 §3.1, RFC 9449 §7.1, §9). */
export type DpopErrorCode = 'invalid_request' | 'invalid_dpop_proof' | 'use_dpop_nonce';

/** Error codes that concern the access token (RFC 6750 §3.1). */
export type TokenErrorCode = 'invalid_token' | 'insufficient_scope';

export type ResourceErrorCode =
  DpopErrorCode | TokenErrorCode | 'temporarily_unavailable' | 'too_many_requests';

export abstract class ResourceAccessError extends Error {
  abstract readonly status: number;
  /** `undefined` only for a request with no credentials at all (RFC 6750 §3.1: no error code then). */
  abstract readonly error: ResourceErrorCode | undefined;
  /** Whether the response carries a `WWW-Authenticate: DPoP` challenge. */
  readonly challenge: boolean = true;
  /** Seconds for a `Retry-After` header (503, 429). */
  readonly retryAfterSeconds: number | undefined = undefined;

  constructor(
    readonly description: string,
    options?: ErrorOptions,
  ) {
    super(description, options);
    this.name = new.target.name;
  }
}

/** The request carries no credentials this API understands: 401 with a bare challenge. */
export class MissingCredentialsError extends ResourceAccessError {
  readonly status = 401;
  readonly error = undefined;
}

const DPOP_STATUS: Record<DpopErrorCode, number> = {
  // RFC 6750 §3.1: a malformed request (missing or repeated parameter) is 400.
  invalid_request: 400,
  // Like invalid_token: the credentials were presented and rejected; a new proof fixes it.
  invalid_dpop_proof: 401,
  // RFC 9449 §9 (Figure 20): the nonce challenge is a 401.
  use_dpop_nonce: 401,
};

/** The request or its DPoP proof is wrong (RFC 9449 §4.3). */
export class DpopError extends ResourceAccessError {
  readonly status: number;

  constructor(
    readonly error: DpopErrorCode,
    description: string,
    status?: number,
  ) {
    super(description);
    this.status = status ?? DPOP_STATUS[error];
  }
}

/** The access token is wrong (RFC 6750 §3.1, RFC 9068 §4) or its scope too narrow. */
export class TokenError extends ResourceAccessError {
  readonly status: number;

  constructor(
    readonly error: TokenErrorCode,
    description: string,
    /** For insufficient_scope: the scope the resource needs (RFC 6750 §3 `scope` attribute). */
    readonly requiredScope?: string,
  ) {
    super(description);
    this.status = error === 'insufficient_scope' ? 403 : 401;
  }
}

/**
 * Not the client's fault: the issuer's keys, its introspection endpoint or the replay store are
 * unreachable. 503 with `Retry-After`; the challenge carries `error="temporarily_unavailable"`
 * (RFC 6749 §4.1.2.1's code for it), so a client reading only `WWW-Authenticate` knows to retry
 * later and keep its token.
 */
export class ServiceUnavailableError extends ResourceAccessError {
  readonly status = 503;
  readonly error = 'temporarily_unavailable' as const;
  override readonly retryAfterSeconds = 5;
}

/**
 * The caller must slow down: its client and user are at a limit of the replay cache (RFC 9449
 * §11.1 entries), or its address asked the API to check too many new tokens. 429 (RFC 6585 §4)
 * with `Retry-After`, for this caller only. No challenge: the credentials may be fine, the caller
 * only has to wait.
 */
export class TooManyRequestsError extends ResourceAccessError {
  readonly status = 429;
  readonly error = 'too_many_requests' as const;
  override readonly challenge = false;

  constructor(
    description: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(description);
  }
}

export const noCredentials = (description: string) => new MissingCredentialsError(description);
export const invalidRequest = (description: string) =>
  new DpopError('invalid_request', description);
export const invalidProof = (description: string, status?: number) =>
  new DpopError('invalid_dpop_proof', description, status);
export const useDpopNonce = (description: string) => new DpopError('use_dpop_nonce', description);
export const invalidToken = (description: string) => new TokenError('invalid_token', description);
export const insufficientScope = (description: string, requiredScope: string) =>
  new TokenError('insufficient_scope', description, requiredScope);

/** Quotes a value taken from the request for an error description, clipped so it stays readable. */
export function quoteValue(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return `'${text.length > max ? `${text.slice(0, max)}…` : text}'`;
}

/** Names a JSON value's type the way a client developer would say it. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
