import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Auth } from '../auth/auth';
import { SignInButton } from '../shell/sign-in-button';
import { takeSignOutReport } from './sign-out-report';

/**
 * Where a sign-out ends: an app page that says what was done — signed out here, the DPoP key
 * deleted, the refresh token revoked, the session at the authorization server ended — each only
 * if the sign-out code saw it happen (SignOutReport), and what it means when it did not.
 */
@Component({
  selector: 'app-signed-out',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, SignInButton],
  template: `
    @if (auth.isSignedIn()) {
      <h1>Signed in</h1>
      <p>You are signed in again. <a routerLink="/">Go to the home page</a>.</p>
    } @else {
      <h1>Signed out</h1>
      <p>You are signed out of DPoP Lab in this browser, in this tab and its others.</p>
      @if (report; as report) {
        <ul class="done" data-testid="sign-out-report">
          @if (report.keyDeleted) {
            <li data-done="true">
              This browser’s DPoP key was deleted: every token bound to it is useless now, wherever
              a copy of it is.
              @if (report.jkt) {
                <span class="note"
                  >Its thumbprint was <code>{{ report.jkt }}</code>.</span
                >
              }
            </li>
          } @else {
            <li data-done="false">
              The DPoP key could not be deleted from this browser’s storage. Clear this site’s data
              to remove it.
            </li>
          }
          @switch (report.revocation.outcome) {
            @case ('revoked') {
              <li data-done="true">
                The refresh token was revoked at the authorization server, with a proof of that key
                (RFC 7009).
              </li>
            }
            @case ('not-revoked') {
              <li data-done="false">
                The refresh token was not revoked: {{ reason(report.revocation) }}. It is bound to
                the deleted key, so it cannot be used; it ends when it expires.
              </li>
            }
          }
          @switch (report.server) {
            @case ('ending') {
              <li data-done="true">
                Your session at the authorization server has ended: the next sign-in asks for your
                password.
              </li>
            }
            @case ('unreachable') {
              <li data-done="false">
                The authorization server could not be reached, so your session there may still be
                open: the next sign-in may not ask for your password.
              </li>
            }
            @case ('no-endpoint') {
              <li data-done="false">
                The authorization server offers no sign-out, so your session there stays open until
                it expires.
              </li>
            }
          }
        </ul>
      }
      <p class="actions">
        <app-sign-in-button label="Sign in again" />
        <a routerLink="/">Home</a>
      </p>
    }
  `,
  styles: `
    .done {
      padding-left: 1.5rem;
    }
    .done li {
      margin: 0 0 0.5rem;
    }
    .done li::marker {
      content: '✓  ';
      color: #166534;
    }
    .done li[data-done='false']::marker {
      content: '!  ';
      color: var(--error-text);
    }
  `,
})
export class SignedOut {
  protected readonly auth = inject(Auth);
  /** Read once: the page shows it; a later landing on the home page does not come back here. */
  protected readonly report = takeSignOutReport();

  protected reason(revocation: { outcome: string; reason?: string }): string {
    return revocation.reason ?? 'no reason given';
  }
}
