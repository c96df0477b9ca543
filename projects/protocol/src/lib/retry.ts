import type { DpopAnswer } from './dpop-answer.ts';

/** Which retries a request has used up. */
export interface RetryState {
  nonceRetried: boolean;
  clockRetried: boolean;
}

/** Why to send a request once more, each time with a fresh proof (a new `jti`). */
export type DpopRetry =
  /** The server's nonce challenge: the next proof carries `nonce`. */
  | { reason: 'use_dpop_nonce'; nonce: string }
  /** The proof's `iat` was off by the device's clock skew: the next proof corrects it. */
  | { reason: 'clock_skew' };

/**
 * Whether `answer` is a nonce challenge: `400` with `use_dpop_nonce` from an authorization server
 * (RFC 9449 §8), `401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"` from a resource
 * server (§9). Its nonce is in `DPoP-Nonce`, unless a browser hid that header (CORS).
 */
export function isNonceChallenge(answer: DpopAnswer): boolean {
  return answer.error === 'use_dpop_nonce' && (answer.status === 400 || answer.status === 401);
}

/**
 * The retry rule, one for every DPoP client here: the retry after a refusal, or null to hand the
 * refusal to the caller. Each cause is retried at most once:
 * - a nonce challenge (§8, §9): once more with the server's nonce;
 * - `invalid_dpop_proof` when the server's `Date` moved this device's measured clock offset
 *   (`clockMoved`; §11.1 `iat` must be within the server's window): once more with `iat` corrected.
 *
 * A nonce challenge whose nonce is not readable is no retry: the caller says why.
 */
export function nextRetry(
  answer: DpopAnswer,
  state: RetryState,
  { clockMoved = false }: { clockMoved?: boolean } = {},
): DpopRetry | null {
  if (isNonceChallenge(answer)) {
    return !state.nonceRetried && answer.nonce
      ? { reason: 'use_dpop_nonce', nonce: answer.nonce }
      : null;
  }
  if (answer.error === 'invalid_dpop_proof' && clockMoved && !state.clockRetried) {
    return { reason: 'clock_skew' };
  }
  return null;
}

/** The state after taking `retry`. */
export function afterRetry(state: RetryState, retry: DpopRetry): RetryState {
  return retry.reason === 'use_dpop_nonce'
    ? { ...state, nonceRetried: true }
    : { ...state, clockRetried: true };
}
