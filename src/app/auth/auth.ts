import { inject, Injectable } from '@angular/core';

import { AuthError } from './auth-error';
import { AuthState } from './auth-state';
import type { CallbackParams } from './authorization-response';
import { lazyServices } from './lazy-services';
import { DEFAULT_RESOURCE, freshToken } from './session';
import { SessionKeeper } from './session-keeper';

/**
 * Sign-in for the views, the guard and the token source: the session state as signals, and the
 * few things a page does — sign in, finish the callback, get a token, sign out. The work is done
 * by small parts: `SignInFlow`, `SignOut`, `TokenRefresher`, `SessionKeeper` (persistence and
 * other tabs); every token is bound to the DPoP key (`Dpop` of @dpop-lab/angular).
 *
 * Only the state and the session restore load with the app. The rest — discovery, PKCE, the code
 * exchange, ID-token checks, refresh, sign-out — loads when first needed: a signed-out visitor's
 * first page needs none of it, and a signed-in one's needs only what its first API call does.
 */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly state = inject(AuthState);

  readonly status = this.state.status;
  readonly isSignedIn = this.state.isSignedIn;
  /** The signed-in user's claims (sub, name, email…): the ID token's, completed from userinfo. */
  readonly user = this.state.user;
  readonly displayName = this.state.displayName;
  /** The RFC 7638 thumbprint of the DPoP key the session's tokens are bound to (their `cnf.jkt`). */
  readonly keyThumbprint = this.state.keyThumbprint;
  /** Why the last sign-in failed, while `status` is `'error'`. */
  readonly error = this.state.error;
  /** Something the user should know that is not a failure, e.g. "your session has ended". */
  readonly notice = this.state.notice;

  private readonly keeper = inject(SessionKeeper);
  private readonly parts = lazyServices('the sign-in code', () => import('./auth-parts'));
  private completing: Promise<unknown> = Promise.resolve();

  /** At start-up (the app initializer): restores the session of an earlier page, if still usable. */
  restore(): Promise<void> {
    return this.keeper.restore();
  }

  /** Starts sign-in and leaves for the authorization server; a failure sets `error`. */
  async signIn(returnUrl = '/'): Promise<void> {
    this.state.signingIn();
    try {
      await (await this.parts((m) => m.SignInFlow)).start(returnUrl);
    } catch (error) {
      this.state.failed(AuthError.from(error));
    }
  }

  /** Finishes sign-in on the callback route: the URL to go to, or null (then `error` says why). */
  completeSignIn(params: CallbackParams): Promise<string | null> {
    this.state.signingIn();
    const completing = this.parts((m) => m.SignInFlow).then(
      (flow) => flow.complete(params),
      (error: unknown) => {
        this.state.failed(AuthError.from(error));
        return null;
      },
    );
    this.completing = completing;
    return completing;
  }

  /**
   * Resolves once the callback page has finished (or failed) signing in, so a guard that runs
   * meanwhile sees the new session instead of starting another sign-in.
   */
  callbackSettled(): Promise<void> {
    return this.completing.then(() => undefined);
  }

  /** A valid access token for `resource` (an RFC 8707 indicator; none for userinfo); null when signed out. */
  async accessToken(resource?: string): Promise<string | null> {
    const session = this.state.session();
    if (!session) return null;
    return (
      freshToken(session, resource) ??
      (await this.parts((m) => m.TokenRefresher)).accessToken(resource)
    );
  }

  /**
   * The token the session holds for `resource`, as it is — no refresh, no network — or null. For
   * display (the inspector) and the attack lab, which must not change the session.
   */
  peekAccessToken(resource?: string): string | null {
    return this.state.session()?.tokens[resource ?? DEFAULT_RESOURCE]?.accessToken ?? null;
  }

  /** The userinfo endpoint from discovery (already on the DPoP allow list). */
  async userinfoEndpoint(): Promise<string> {
    return (await this.parts((m) => m.OidcDiscovery)).userinfoEndpoint();
  }

  /**
   * Signs out here, in the other tabs and at the authorization server, revoking the refresh token
   * on the way. If the sign-out code cannot even be loaded, this tab's part still happens.
   */
  async signOut(): Promise<void> {
    try {
      await (await this.parts((m) => m.SignOut)).run();
    } catch (error) {
      await this.keeper.end().catch(() => this.state.setSession(null));
      this.state.failed(AuthError.from(error));
    }
  }

  /** Hides the current error or notice. */
  dismiss(): void {
    this.state.dismiss();
  }
}
