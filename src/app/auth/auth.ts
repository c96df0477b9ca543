import { inject, Injectable } from '@angular/core';

import { AuthError } from './auth-error';
import { AuthState } from './auth-state';
import { CallbackParams } from './authorization-response';
import { OidcDiscovery } from './oidc-discovery';
import { DEFAULT_RESOURCE, SignInModeName } from './session';
import { SessionKeeper } from './session-keeper';
import { SignInFlow } from './sign-in-flow';
import { SignInModes } from './sign-in-mode';
import { TokenRefresher } from './token-refresher';

/**
 * Sign-in for the views, the guard and the token source: the session state as signals, and the
 * few things a page does — sign in, finish the callback, get a token, sign out. The work is done
 * by small parts: `SignInFlow`, `TokenRefresher`, `SessionKeeper` (persistence and other tabs),
 * and the `SignInMode` that says how tokens are bound.
 */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly state = inject(AuthState);

  readonly status = this.state.status;
  readonly isSignedIn = this.state.isSignedIn;
  /** The signed-in user's ID-token claims (sub, name, email…). */
  readonly user = this.state.user;
  readonly displayName = this.state.displayName;
  /** Why the last sign-in failed, while `status` is `'error'`. */
  readonly error = this.state.error;
  /** Something the user should know that is not a failure, e.g. "your session has ended". */
  readonly notice = this.state.notice;
  /** `DPoP` (bound to the key, with proofs) or `Bearer` (the walkthrough's comparison). */
  readonly mode = this.state.mode;
  /** Whether "Use plain bearer tokens" can be offered. */
  readonly bearerAvailable = inject(SignInModes).bearerAvailable;

  private readonly flow = inject(SignInFlow);
  private readonly refresher = inject(TokenRefresher);
  private readonly keeper = inject(SessionKeeper);
  private readonly discovery = inject(OidcDiscovery);

  /** At start-up (the app initializer): restores the session of an earlier page, if still usable. */
  restore(): Promise<void> {
    return this.keeper.restore();
  }

  /** Starts sign-in and leaves for the authorization server; a failure sets `error`. */
  signIn(returnUrl = '/', mode: SignInModeName = 'DPoP'): Promise<void> {
    return this.flow.start(returnUrl, mode);
  }

  /** Finishes sign-in on the callback route: the URL to go to, or null (then `error` says why). */
  completeSignIn(params: CallbackParams): Promise<string | null> {
    return this.flow.complete(params);
  }

  /**
   * Resolves once the callback page has finished (or failed) signing in, so a guard that runs
   * meanwhile sees the new session instead of starting another sign-in.
   */
  callbackSettled(): Promise<void> {
    return this.flow.callbackSettled();
  }

  /** A valid access token for `resource` (an RFC 8707 indicator; none for userinfo); null when signed out. */
  accessToken(resource?: string): Promise<string | null> {
    return this.refresher.accessToken(resource);
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
    const metadata = await this.discovery.metadata();
    if (!metadata.userinfo_endpoint) {
      throw new AuthError(
        'discovery_invalid',
        `The authorization server at ${metadata.issuer} has no userinfo endpoint.`,
      );
    }
    return metadata.userinfo_endpoint;
  }

  /** Signs out here, in the other tabs and at the authorization server. */
  signOut(): Promise<void> {
    return this.flow.signOut();
  }

  /** Hides the current error or notice. */
  dismiss(): void {
    this.state.dismiss();
  }
}
