import { DpopAlgorithms } from './dpop-algorithms';
import { DpopClock } from './dpop-clock';
import { DpopError } from './dpop-error';
import { DpopResponse } from './dpop-response';
import { originOf } from './dpop-urls';

/** Which retries a request used up, and what its next attempt carries. */
export interface AttemptState {
  /** Shared by a request's attempts (`DpopExchange.requestId`). */
  requestId: number;
  nonceRetried: boolean;
  clockRetried: boolean;
  /** The nonce of the challenge; otherwise the proof takes the origin's latest nonce. */
  nonce?: string;
  reason?: 'use_dpop_nonce' | 'clock_skew';
}

/** What an attempt's proof was made with, to judge its refusal. */
export interface SentProof {
  algorithm: string;
  /** The clock offset (ms) its `iat` was corrected by. */
  offset: number;
  /** Whether an access token went with it. */
  withToken: boolean;
}

/**
 * The retry rules: the state of the next attempt after a refusal, or null to hand the refusal to
 * the caller. Each cause is retried at most once, always with a fresh proof (new `jti`):
 * - `use_dpop_nonce` (RFC 9449 §8 from an authorization server, §9 from a resource server):
 *   once more with the server's nonce;
 * - with clock-skew correction, an `invalid_dpop_proof` whose `Date` moved this device's measured
 *   offset (§11.1: `iat` must be within the server's window): once more with `iat` corrected.
 *
 * Throws a `DpopError` for a failure that retrying cannot get past: a key algorithm the server
 * does not accept (§7.1 `algs`), or a header CORS hides from the browser.
 */
export function nextAttempt(
  url: string,
  response: DpopResponse,
  state: AttemptState,
  sent: SentProof,
  { algorithms, clock, cause }: { algorithms: DpopAlgorithms; clock: DpopClock; cause: unknown },
): AttemptState | null {
  if (response.algs) {
    algorithms.accept(url, response.algs, 'the resource server');
    if (!response.algs.includes(sent.algorithm)) {
      throw unsupportedAlgorithm(url, sent.algorithm, response.algs, algorithms, cause);
    }
  }
  if (response.error === 'use_dpop_nonce' && (response.status === 400 || response.status === 401)) {
    if (state.nonceRetried) return null;
    return {
      ...state,
      nonceRetried: true,
      nonce: nonceOf(response, cause),
      reason: 'use_dpop_nonce',
    };
  }
  if (response.error === 'invalid_dpop_proof' && clock.enabled) {
    // The refusal's `Date` was just measured: if it moved the offset, `iat` was off.
    if (Math.abs(clock.offset(url) - sent.offset) >= clock.thresholdMs) {
      if (state.clockRetried) return null;
      return { ...state, clockRetried: true, nonce: undefined, reason: 'clock_skew' };
    }
    if (response.date === undefined && /\biat\b/.test(response.description ?? '')) {
      throw new DpopError(
        'date_header_not_exposed',
        `${response.url ?? 'The server'} refused the DPoP proof for its iat (is this device's ` +
          'clock off?), and its Date response header is not readable, so the app cannot measure ' +
          'the skew. For cross-origin calls the server must list it: ' +
          '"Access-Control-Expose-Headers: Date".',
        { cause },
      );
    }
  }
  if (sent.withToken && response.status === 401 && !response.challenged && !response.error) {
    throw new DpopError(
      'challenge_header_not_exposed',
      `${response.url ?? 'The server'} answered 401 without a readable WWW-Authenticate header, ` +
        'so the app cannot tell why (an expired token? a DPoP nonce challenge?). The server must ' +
        'send "WWW-Authenticate: DPoP …" and, for cross-origin calls, list it in ' +
        '"Access-Control-Expose-Headers: WWW-Authenticate, DPoP-Nonce".',
      { cause },
    );
  }
  return null;
}

/** The nonce of a `use_dpop_nonce` challenge; throws when CORS hid it from the browser. */
function nonceOf(response: DpopResponse, cause: unknown): string {
  if (response.nonce) return response.nonce;
  throw new DpopError(
    'nonce_header_not_exposed',
    `${response.url ?? 'The server'} asked for a DPoP nonce (use_dpop_nonce) but its DPoP-Nonce ` +
      'response header is not readable. The server must send it and list it in ' +
      '"Access-Control-Expose-Headers: DPoP-Nonce" (and WWW-Authenticate) for cross-origin calls.',
    { cause },
  );
}

function unsupportedAlgorithm(
  url: string,
  used: string,
  accepted: readonly string[],
  algorithms: DpopAlgorithms,
  cause: unknown,
): DpopError {
  const common = algorithms.candidates();
  const next = common.length
    ? `Sign in again: the new key will use ${common[0]}, which every server accepts.`
    : 'No algorithm this app can sign with (withAlgorithms) suits every server, so signing in ' +
      'again will not help.';
  return new DpopError(
    'unsupported_algorithm',
    `${originOf(url) ?? url} accepts DPoP proofs signed with ${accepted.join(', ')} only ` +
      `(WWW-Authenticate algs), but this session's key signs ${used}. ${next}`,
    { cause },
  );
}
