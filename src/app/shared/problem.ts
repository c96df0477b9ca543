import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { AuthError } from '../auth/auth-error';
import { fixedBySigningIn, textOfAuthError } from './user-text';

/** An error as the views show it: what failed, and the server's own words when it sent any. */
export interface Problem {
  /** One sentence in the user's terms: what went wrong and, where possible, what to do. */
  message: string;
  /** The OAuth / DPoP `error` code, e.g. `invalid_token`, `use_dpop_nonce`. */
  error?: string;
  /** The server's `error_description`. */
  description?: string;
  /** The developer's explanation (what to configure), shown under "Details". */
  details?: string;
  /** What helps: signing in again (a session that ended), rather than trying again. */
  fix?: 'sign-in';
}

/** A failed sign-in as the shell shows it (`toProblem` in to-problem.ts reads any failure). */
export function authProblem(error: AuthError): Problem {
  // Only the server's own codes are shown as `error`; ours are explained by the message.
  const problem = withDetails(
    textOfAuthError(error),
    error.server?.error,
    error.server?.description,
    error.message,
  );
  return fixedBySigningIn(error) ? { ...problem, fix: 'sign-in' } : problem;
}

export function withDetails(
  message: string,
  error?: string,
  description?: string,
  details?: string,
): Problem {
  const problem: Problem = { message };
  if (error) problem.error = error;
  if (description) problem.description = description;
  if (details) problem.details = details;
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
    @if (problem().details) {
      <details class="alert-details">
        <summary>Details for developers</summary>
        <p>{{ problem().details }}</p>
      </details>
    }
    <ng-content />
  `,
})
export class ProblemAlert {
  readonly problem = input.required<Problem>();
}
