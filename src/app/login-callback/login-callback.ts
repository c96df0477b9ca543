import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { Auth } from '../auth/auth';
import { authProblem, ProblemAlert } from '../shared/problem';
import { JUST_SIGNED_IN } from '../shell/just-signed-in';
import { SignInButton } from '../shell/sign-in-button';

/**
 * The redirect URI: finishes sign-in, then goes to the page the user wanted, where the shell says
 * what sign-in did (JUST_SIGNED_IN).
 */
@Component({
  selector: 'app-login-callback',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert, RouterLink, SignInButton],
  template: `
    @if (problem(); as problem) {
      <h1>Sign-in failed</h1>
      <app-problem-alert [problem]="problem">
        <p class="actions">
          <app-sign-in-button label="Sign in again" [primary]="false" />
          <a routerLink="/">Home</a>
        </p>
      </app-problem-alert>
    } @else {
      <h1>Signing in</h1>
      <p aria-busy="true">Finishing sign-in…</p>
    }
  `,
})
export class LoginCallback {
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);

  protected readonly problem = computed(() => {
    const error = this.auth.status() === 'error' ? this.auth.error() : null;
    return error ? authProblem(error) : null;
  });

  constructor() {
    const query = inject(ActivatedRoute).snapshot.queryParamMap;
    void this.auth
      .completeSignIn({
        code: query.get('code'),
        state: query.get('state'),
        iss: query.get('iss'),
        error: query.get('error'),
        error_description: query.get('error_description'),
      })
      .then((returnUrl) => {
        if (returnUrl === null) return undefined;
        const state = { [JUST_SIGNED_IN]: true };
        return this.router.navigateByUrl(returnUrl, { replaceUrl: true, state });
      });
  }
}
