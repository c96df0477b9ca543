import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { AuthError } from '../auth/auth-error';
import { readDpopResponse } from '../dpop';

/** An error as the views show it: what failed, and the server's own words when it sent any. */
export interface Problem {
  /** One sentence: what went wrong and, where possible, what to do. */
  message: string;
  /** The OAuth / DPoP `error` code, e.g. `invalid_token`, `use_dpop_nonce`. */
  error?: string;
  /** The server's `error_description`. */
  description?: string;
}

/**
 * Turns any failure of a call to `service` ("The API at http://localhost:3001/api/") into a
 * `Problem`. Never includes a stack trace.
 */
export function toProblem(failure: unknown, service: string): Problem {
  if (failure instanceof AuthError) {
    // Only the server's own codes are shown as `error`; ours are explained by the message.
    return withDetails(failure.message, failure.server?.error, failure.server?.description);
  }
  if (failure instanceof HttpErrorResponse) {
    if (failure.status === 0) {
      return { message: `${service} did not answer: is it running? (npm start)` };
    }
    const { error, description } = readDpopResponse(failure);
    const status = `${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''}`;
    return error
      ? withDetails(`${service} refused the request (${status}).`, error, description)
      : { message: `${service} answered ${status}.` };
  }
  return { message: failure instanceof Error ? failure.message : String(failure) };
}

function withDetails(message: string, error?: string, description?: string): Problem {
  const problem: Problem = { message };
  if (error) problem.error = error;
  if (description) problem.description = description;
  return problem;
}

/** Shows a `Problem` as an alert; buttons (e.g. "Try again") go in as content. */
@Component({
  selector: 'app-problem-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'alert', class: 'alert alert-error' },
  template: `
    <p class="alert-message">{{ problem().message }}</p>
    @if (problem().error) {
      <dl class="alert-details">
        <dt>error</dt>
        <dd>
          <code>{{ problem().error }}</code>
        </dd>
        @if (problem().description) {
          <dt>error_description</dt>
          <dd>{{ problem().description }}</dd>
        }
      </dl>
    }
    <ng-content />
  `,
})
export class ProblemAlert {
  readonly problem = input.required<Problem>();
}
