import { checkIssuedTokens, DpopProtocolError } from '@dpop-lab/protocol';

import { DpopError } from '../dpop-error';

/**
 * The protocol's rule for a token response (RFC 9449 §5, §6.1): a `token_type` other than `DPoP`,
 * or a JWT access token bound to another key, is refused with a `DpopError` of the same code.
 */
export function checkIssued(
  response: { access_token: string; token_type?: unknown },
  thumbprint: string,
): void {
  try {
    checkIssuedTokens(response, thumbprint);
  } catch (error) {
    throw asDpopError(error);
  }
}

/** A protocol error as a `DpopError` with its code and message; anything else as it is. */
export function asDpopError(error: unknown): unknown {
  return error instanceof DpopProtocolError
    ? new DpopError(error.code, error.message, { cause: error })
    : error;
}
