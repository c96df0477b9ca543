import { Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink } from '@angular/router';

import { Auth } from '../auth/auth';
import { KeyStorageNotice } from '../auth/key-storage-notice';
import { APP_CONFIG } from '../config/app-config';
import { authProblem, ProblemAlert } from '../shared/problem';
import { JUST_SIGNED_IN } from './just-signed-in';
import { pathOf } from './app-paths';
import { SignInButton } from './sign-in-button';

/**
 * The shell's messages, above every view: where the key lives when it is memory-only, what a
 * sign-in just did (the tokens are bound to this browser's key, on the view the user lands on),
 * why a session ended or a sign-in failed — each once, with the one action that helps. Loaded
 * beside the first page (MessagesSlot).
 */
@Component({
  selector: 'app-shell-messages',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [KeyStorageNotice, ProblemAlert, RouterLink, SignInButton],
  template: `
    <app-key-storage-notice />
    @if (boundKey(); as thumbprint) {
      <div class="alert alert-info" role="status">
        <p class="alert-message">
          Signed in. Your tokens are now bound to this browser's DPoP key, thumbprint
          <code data-testid="signed-in-thumbprint">{{ thumbprint }}</code>.
        </p>
        <p>
          Each token names that key (its <code>cnf.jkt</code>), and the servers take a token only
          with a proof signed by it — a key that cannot leave this browser. A copied token is
          useless anywhere else.
        </p>
        <p class="actions">
          <a routerLink="/inspector">See the sign-in in the Inspector</a>
          <button type="button" class="quiet" (click)="landedAfterSignIn.set(false)">
            Dismiss
          </button>
        </p>
      </div>
    }
    @if (auth.notice(); as notice) {
      <div class="alert alert-info" role="status">
        <p class="alert-message">{{ notice }}</p>
        <p class="actions">
          @if (!auth.isSignedIn()) {
            <app-sign-in-button [primary]="false" />
          }
          <button type="button" class="quiet" (click)="auth.dismiss()">Dismiss</button>
        </p>
      </div>
    }
    @if (problem(); as problem) {
      <app-problem-alert [problem]="problem">
        <p class="actions">
          @if (!auth.isSignedIn()) {
            <app-sign-in-button [primary]="false" />
          }
          <button type="button" class="quiet" (click)="auth.dismiss()">Dismiss</button>
        </p>
      </app-problem-alert>
    }
  `,
})
export class ShellMessages {
  protected readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly location = inject(Location);
  private readonly redirectPath = inject(APP_CONFIG).redirectPath;

  protected readonly landedAfterSignIn = signal(this.landedNow());
  protected readonly boundKey = computed(() =>
    this.landedAfterSignIn() ? this.auth.keyThumbprint() : null,
  );

  private readonly onCallback = signal(this.isCallback(this.router.url));
  /** A sign-in error, except on the callback page, which shows it itself. */
  protected readonly problem = computed(() => {
    const error = this.auth.status() === 'error' ? this.auth.error() : null;
    return error && !this.onCallback() ? authProblem(error) : null;
  });

  constructor() {
    this.router.events.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (!(event instanceof NavigationEnd)) return;
      this.onCallback.set(this.isCallback(event.urlAfterRedirects));
      this.landedAfterSignIn.set(this.landedNow());
    });
  }

  private isCallback(url: string): boolean {
    return pathOf(url) === this.redirectPath;
  }

  /**
   * Whether the view shown is the one a sign-in just landed on. The mark is taken off the history
   * entry at once (the router's own state kept), so a reload of that view says nothing new.
   */
  private landedNow(): boolean {
    const state = this.location.getState() as Record<string, unknown> | null;
    const landed =
      this.router.lastSuccessfulNavigation()?.extras.state?.[JUST_SIGNED_IN] === true &&
      state?.[JUST_SIGNED_IN] === true;
    if (landed) {
      this.location.replaceState(this.location.path(true), '', {
        ...state,
        [JUST_SIGNED_IN]: false,
      });
    }
    return landed;
  }
}
