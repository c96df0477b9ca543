/** What went wrong during sign-in, refresh or discovery, as a stable code views and tests use. */
export type AuthErrorCode =
  | 'discovery_unreachable'
  | 'discovery_failed'
  | 'discovery_invalid'
  | 'dpop_not_supported'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'missing_code'
  | 'bearer_token_issued'
  | 'invalid_token_response'
  | 'invalid_id_token'
  | 'no_refresh_token'
  | 'session_expired'
  | 'token_request_failed'
  | 'key_lost'
  // An `error` code the authorization server sent back (RFC 6749 §4.1.2.1, §5.2),
  // e.g. access_denied, invalid_grant, invalid_dpop_proof.
  | (string & {});

/**
 * An error in the sign-in flow. `code` is the OAuth `error` (or one of ours); `message` says
 * in plain words what happened and what to do; `description` is the server's
 * `error_description`, when it sent one; `fromServer` tells the server's codes from ours.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly fromServer: boolean;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly description?: string,
    options?: { cause?: unknown; fromServer?: boolean },
  ) {
    super(message, options);
    this.fromServer = options?.fromServer ?? false;
  }
}
