import {
  nextRetry,
  originOf,
  type DpopAnswer,
  type DpopRetry,
  type RetryState,
} from '@dpop-lab/protocol';

import { DpopError } from '../dpop-error';
import { DpopAlgorithms } from './dpop-algorithms';
import { DpopClock } from './dpop-clock';

/** What an attempt's proof was made with, to judge its refusal. */
export interface SentProof {
  algorithm: string;
  /** The clock offset (ms) its `iat` was corrected by. */
  offset: number;
  /** Whether an access token went with it. */
  withToken: boolean;
}

/**
 * The protocol's retry rule (a nonce challenge once, a clock skew once) in a browser, where more
 * can go wrong than retrying can fix. Throws a `DpopError` that says what to change for:
 * - a key algorithm the server does not accept (§7.1 `algs`): negotiation learns the server's list;
 * - a header CORS hides from script: the nonce of a challenge, the `Date` of a refusal for `iat`,
 *   the `WWW-Authenticate` of a 401.
 * Resolves to the retry, or null to hand the refusal to the caller.
 */
export function nextAttempt(
  url: string,
  answer: DpopAnswer,
  state: RetryState,
  sent: SentProof,
  { algorithms, clock, cause }: { algorithms: DpopAlgorithms; clock: DpopClock; cause: unknown },
): DpopRetry | null {
  if (answer.algs) {
    algorithms.accept(url, answer.algs, 'the resource server');
    if (!answer.algs.includes(sent.algorithm)) {
      throw unsupportedAlgorithm(url, sent.algorithm, answer.algs, algorithms, cause);
    }
  }
  const retry = nextRetry(answer, state, {
    clockMoved: clock.enabled && clock.movedSince(url, sent.offset),
  });
  if (retry) return retry;
  const where = answer.url ?? 'The server';
  if (answer.error === 'use_dpop_nonce' && !answer.nonce && !state.nonceRetried) {
    throw new DpopError(
      'nonce_header_not_exposed',
      `${where} asked for a DPoP nonce (use_dpop_nonce) but its DPoP-Nonce response header is ` +
        'not readable. The server must send it and list it in ' +
        '"Access-Control-Expose-Headers: DPoP-Nonce" (and WWW-Authenticate) for cross-origin calls.',
      { cause },
    );
  }
  if (
    answer.error === 'invalid_dpop_proof' &&
    clock.enabled &&
    answer.date === undefined &&
    /\biat\b/.test(answer.description ?? '')
  ) {
    throw new DpopError(
      'date_header_not_exposed',
      `${where} refused the DPoP proof for its iat (is this device's clock off?), and its Date ` +
        'response header is not readable, so the app cannot measure the skew. For cross-origin ' +
        'calls the server must list it: "Access-Control-Expose-Headers: Date".',
      { cause },
    );
  }
  if (sent.withToken && answer.status === 401 && !answer.challenged && !answer.error) {
    throw new DpopError(
      'challenge_header_not_exposed',
      `${where} answered 401 without a readable WWW-Authenticate header, so the app cannot tell ` +
        'why (an expired token? a DPoP nonce challenge?). The server must send ' +
        '"WWW-Authenticate: DPoP …" and, for cross-origin calls, list it in ' +
        '"Access-Control-Expose-Headers: WWW-Authenticate, DPoP-Nonce".',
      { cause },
    );
  }
  return null;
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
