/** What went wrong, as a stable code a view or test can branch on. */
export type DpopErrorCode =
  | 'invalid_allow_list'
  | 'missing_token_source'
  | 'duplicate_feature'
  | 'nonce_header_not_exposed'
  | 'key_storage_unavailable'
  | 'key_storage_blocked'
  | 'key_storage_quota'
  | 'key_storage_clone'
  | 'key_storage_version'
  | 'key_storage_failed';

/**
 * An error raised by the DPoP core itself (configuration, key storage, a nonce the browser
 * cannot read). The message says what failed and what to do; `cause` keeps the original.
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
