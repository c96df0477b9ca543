/** What a DPoP client found wrong in a server's answer or a token it was given. */
export type DpopProtocolErrorCode =
  /** A token response with a `token_type` other than `DPoP` (RFC 9449 §5): bearer tokens. */
  | 'bearer_token_issued'
  /** An access token bound to another key, or a JWT access token with no `cnf.jkt` (§6.1). */
  | 'token_not_bound'
  /** A URL a proof cannot name: relative without a base, or not http(s) (§4.2 `htu`). */
  | 'invalid_url';

/** An error of the protocol rules; `message` says what was wrong and what to do. */
export class DpopProtocolError extends Error {
  override readonly name = 'DpopProtocolError';

  constructor(
    readonly code: DpopProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}
