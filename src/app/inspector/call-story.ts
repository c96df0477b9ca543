/**
 * A request's exchange told in plain words, step by step — proof signed → `401 use_dpop_nonce` →
 * retry with the nonce → `200` — for the views that make the call (Profile, Users). The inspector
 * draws the same exchange in full.
 */
import { decodeJwt } from './jwt-explained';
import type { LoggedExchange } from './exchange-log';
import { pathOf, type RequestGroup } from './request-view';

/** The steps of `group`'s exchange; `server` names who answered ("The API"). */
export function storyOf(group: RequestGroup, server: string): string[] {
  return group.attempts.flatMap((attempt, index) => [
    sentStep(attempt, index === 0, group),
    answerStep(attempt, server),
  ]);
}

function sentStep(attempt: LoggedExchange, first: boolean, group: RequestGroup): string {
  if (first) {
    const alg = decodeJwt(attempt.proof)?.header['alg'];
    return `The app signed a DPoP proof for ${group.method} ${pathOf(group.url)} with this browser’s key${typeof alg === 'string' ? ` (${alg})` : ''} — the method, the URL, the time and a hash of the access token — and sent it with the token (Authorization: DPoP).`;
  }
  return attempt.retryReason === 'clock_skew'
    ? 'It signed a new proof, its time corrected by the server’s clock (its Date header), and sent the request again.'
    : 'It signed a new proof, this time with the server’s nonce, and sent the request again.';
}

function answerStep(attempt: LoggedExchange, server: string): string {
  if (attempt.status === 0) return `${server} did not answer (a network or CORS failure).`;
  const answered = `${server} answered ${attempt.status}${attempt.error ? ` ${attempt.error}` : ''}`;
  if (attempt.error === 'use_dpop_nonce') {
    return `${answered}: it takes only proofs made after a nonce it hands out (DPoP-Nonce), so no proof can be made in advance.`;
  }
  if (attempt.status >= 200 && attempt.status < 300) {
    return `${answered}: it checked the proof’s signature, method, URL, time and nonce, and that the token’s cnf.jkt is this key’s thumbprint.`;
  }
  return `${answered}.`;
}
