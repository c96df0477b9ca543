/** What went wrong, as a stable code a view or test can branch on. */
export type DpopErrorCode =
  // Configuration (provideDpop and its features).
  | 'invalid_allow_list'
  | 'missing_token_source'
  | 'duplicate_feature'
  | 'invalid_algorithms'
  // A server's answer the browser cannot read (CORS) or the key cannot satisfy.
  | 'nonce_header_not_exposed'
  | 'challenge_header_not_exposed'
  | 'date_header_not_exposed'
  | 'no_common_algorithm'
  | 'unsupported_algorithm'
  // Tokens that are not bound to this browser's key (Dpop.verifyIssued).
  | 'bearer_token_issued'
  | 'token_not_bound'
  // A request URL a proof cannot name (not http(s)).
  | 'invalid_url'
  // Key storage; with withKeyStorage({ memoryFallback: true }) these lead to a memory-only key.
  | 'key_storage_unavailable'
  | 'key_storage_blocked'
  | 'key_storage_quota'
  | 'key_storage_clone'
  | 'key_storage_version'
  | 'key_storage_readback'
  | 'key_storage_unusable'
  | 'key_storage_failed'
  // A part of the core loaded on first use (lazy-module.ts) could not be fetched.
  | 'code_not_loaded';

/**
 * An error raised by the DPoP core itself (configuration, key storage, a header the browser
 * cannot read, no algorithm in common with a server, a token bound to another key). The message
 * says what failed and what to do; `cause` keeps the original.
 */
export class DpopError extends Error {
  override readonly name = 'DpopError';

  constructor(
    readonly code: DpopErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A key-storage failure: with a memory fallback it leads to a memory-only key. */
export function isKeyStorageError(error: unknown): error is DpopError {
  return error instanceof DpopError && error.code.startsWith('key_storage_');
}
