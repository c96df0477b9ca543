import { DpopError } from '@dpop-lab/angular';

/** What the client found wrong: a closed set views and tests can branch on. */
export type AuthErrorCode =
  // Discovery (OpenID Connect Discovery §4, RFC 8414).
  | 'discovery_unreachable'
  | 'discovery_blocked'
  | 'discovery_failed'
  | 'discovery_invalid'
  | 'dpop_not_supported'
  // The authorization response (RFC 6749 §4.1.2, RFC 9207).
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'missing_code'
  | 'sign_in_refused'
  | 'key_lost'
  // The token endpoint and what it issued.
  | 'token_request_failed'
  | 'token_request_refused'
  | 'invalid_token_response'
  | 'bearer_token_issued'
  | 'token_not_bound'
  | 'invalid_id_token'
  | 'no_refresh_token'
  | 'session_expired'
  // This browser or this app's configuration.
  | 'key_storage_failed'
  | 'code_not_loaded'
  | 'sign_in_failed';

/** What the authorization server said, when the failure is its answer (RFC 6749 §4.1.2.1, §5.2). */
export interface ServerError {
  error: string;
  description?: string;
}

/**
 * A failure of sign-in, refresh or discovery. As in oauth4webapi, what the client checked and
 * what the server said are kept apart: `code` is the client's finding, `server` the server's own
 * `error` and `error_description` when it sent them. `message` says in plain words what happened
 * and what to do.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly server?: ServerError;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options: { server?: ServerError; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    if (options.server) this.server = options.server;
  }

  /** Any failure as an `AuthError`: the DPoP core's keep their message under the nearest code. */
  static from(error: unknown): AuthError {
    if (error instanceof AuthError) return error;
    if (error instanceof DpopError) {
      return new AuthError(codeOfDpopError(error), error.message, { cause: error });
    }
    return new AuthError(
      'sign_in_failed',
      `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function codeOfDpopError(error: DpopError): AuthErrorCode {
  switch (error.code) {
    case 'no_common_algorithm':
      return 'dpop_not_supported';
    case 'bearer_token_issued':
    case 'token_not_bound':
    case 'code_not_loaded':
      return error.code;
    default:
      return error.code.startsWith('key_storage_') ? 'key_storage_failed' : 'sign_in_failed';
  }
}
