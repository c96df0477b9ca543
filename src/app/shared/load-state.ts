import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

import { Auth } from '../auth/auth';
import { SignInButton } from '../shell/sign-in-button';
import type { Loader } from './loader';
import { ProblemAlert } from './problem';

/**
 * Shows a `Loader`'s state: "Loading…", the problem with the button that helps (Try again, or
 * Sign in when only a new sign-in can), or — once loaded — the content it wraps. When the session
 * has ended, the shell's notice says so once, with Sign in; this only says there is nothing to
 * show. Busy while loading, for assistive technology.
 */
@Component({
  selector: 'app-load-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert, SignInButton],
  host: { '[attr.aria-busy]': 'loader().loading()' },
  template: `
    @if (loader().loading()) {
      <p>Loading…</p>
    } @else if (loader().problem(); as problem) {
      @if (problem.fix === 'sign-in' && !auth.isSignedIn()) {
        <p class="note">Nothing to show: you are signed out.</p>
      } @else {
        <app-problem-alert [problem]="problem">
          @if (problem.fix === 'sign-in') {
            <app-sign-in-button label="Sign in again" [primary]="false" />
          } @else {
            <button type="button" (click)="loader().load()">Try again</button>
          }
        </app-problem-alert>
      }
    } @else {
      <ng-content />
    }
  `,
})
export class LoadState {
  readonly loader = input.required<Loader<unknown>>();
  protected readonly auth = inject(Auth);
}
