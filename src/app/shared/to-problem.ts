import { HttpErrorResponse } from '@angular/common/http';
import { DpopError, DpopErrorCode } from '@dpop-lab/angular';
import { readDpopAnswer } from '@dpop-lab/protocol';

import { AuthError } from '../auth/auth-error';
import { blockedByCsp, cspBlockedMessage, knownBlockedByCsp } from '../config/csp-blocked';
import { authProblem, Problem, withDetails } from './problem';

/** What a signed call's `DpopError` means to a person (its message is the developer's). */
const DPOP_TEXT: Partial<Record<DpopErrorCode, string>> = {
  nonce_header_not_exposed: 'The server asked for something this browser may not read.',
  challenge_header_not_exposed:
    'The server refused the request without a reason this browser may read.',
  date_header_not_exposed:
    'The server says this device’s clock is wrong. Set the clock and try again.',
  unsupported_algorithm: 'The server does not accept this browser’s signing key. Sign in again.',
  no_common_algorithm: 'This browser and the server have no signing method in common.',
  bearer_token_issued: 'The tokens were not bound to this browser, so the app refused them.',
  token_not_bound: 'The tokens were bound to another key, so the app refused them. Sign in again.',
  code_not_loaded: 'Part of the app did not load. Check your connection and reload.',
};

/**
 * Turns any failure of a call to `service` ("The API at http://localhost:3001/api/") into a
 * `Problem`: the user's text by the error's code, the server's own words, the developer's message
 * under "Details". Never includes a stack trace. Used by the views, which load on demand: it reads
 * answers with @dpop-lab/protocol, which the first page load does without.
 */
export function toProblem(failure: unknown, service: string): Problem {
  if (failure instanceof AuthError) return authProblem(failure);
  if (failure instanceof DpopError) {
    const text =
      DPOP_TEXT[failure.code] ??
      (failure.code.startsWith('key_storage_')
        ? 'This browser would not keep the signing key. Allow site data, then reload.'
        : 'The app is not set up for this request.');
    return { message: text, details: failure.message };
  }
  if (failure instanceof HttpErrorResponse) {
    if (failure.status === 0) {
      // No answer: the server is down, or this page's CSP did not let the request leave.
      const blocked = knownBlockedByCsp(failure.url);
      return {
        message: blocked
          ? cspBlockedMessage(service, blocked)
          : `${service} did not answer: is it running? (npm start)`,
      };
    }
    const { error, description } = readDpopAnswer(failure);
    const status = `${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''}`;
    return error
      ? withDetails(`${service} refused the request (${status}).`, error, description)
      : { message: `${service} answered ${status}.` };
  }
  return { message: failure instanceof Error ? failure.message : String(failure) };
}

/**
 * `toProblem` once the browser has had its moment to report a call the page's CSP blocked: that
 * report comes after the failure (csp-violations.ts), and without it a blocked call reads as a
 * server that did not answer.
 */
export async function settledProblem(failure: unknown, service: string): Promise<Problem> {
  if (failure instanceof HttpErrorResponse && failure.status === 0 && failure.url) {
    await blockedByCsp(failure.url);
  }
  return toProblem(failure, service);
}
