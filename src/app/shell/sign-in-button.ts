import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { Router } from '@angular/router';

import { Auth } from '../auth/auth';
import { APP_CONFIG } from '../config/app-config';
import { returnUrlAfterSignIn } from './app-paths';

/**
 * The app's one sign-in button (header, prompts, notices, the signed-out page): it comes back to
 * the view it was pressed on (returnUrlAfterSignIn), and stays the same button, focusable, while
 * sign-in starts — marked busy (aria-disabled) and ignoring further presses — so a keyboard user
 * keeps their place.
 */
@Component({
  selector: 'app-sign-in-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      [class.primary]="primary()"
      [attr.aria-disabled]="signingIn() || null"
      (click)="signIn()"
    >
      {{ signingIn() ? 'Signing in…' : label() }}
    </button>
  `,
})
export class SignInButton {
  /** Solid, for the one thing a view offers; outlined inside an alert or a notice. */
  readonly primary = input(true);
  readonly label = input('Sign in');

  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly redirectPath = inject(APP_CONFIG).redirectPath;
  protected readonly signingIn = computed(() => this.auth.status() === 'signing-in');

  protected signIn(): void {
    if (this.signingIn()) return;
    void this.auth.signIn(returnUrlAfterSignIn(this.router.url, this.redirectPath));
  }
}
