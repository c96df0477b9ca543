import { inject, Injectable } from '@angular/core';

import { APP_CONFIG } from '../config/app-config';
import { AuthError } from './auth-error';
import { AuthState } from './auth-state';
import { BROWSER_REDIRECT } from './browser-redirect';
import { OidcDiscovery, OidcMetadata } from './oidc-discovery';
import { PendingSignInStore } from './pending-sign-in';
import type { Session } from './session';
import { SessionKeeper } from './session-keeper';
import { TokenClient } from './token-client';

/**
 * Sign-out, in the order that leaves the least behind, under the session's lock (so no other tab
 * starts a sign-in meanwhile):
 * 1. this tab and the others forget the session;
 * 2. the refresh token is revoked (RFC 7009) with a DPoP proof of its key, so a copy taken
 *    earlier stops working now — not only if the user finishes the server's logout step (they may
 *    close that page, or the server session may have ended already). Its failure is logged and
 *    does not hold sign-out up;
 * 3. the DPoP key is deleted: every token bound to it is useless from now on;
 * 4. the authorization server ends its own session and sends the browser back (OpenID Connect
 *    RP-Initiated Logout 1.0).
 * Loaded on the first sign-out (see `Auth`).
 */
@Injectable({ providedIn: 'root' })
export class SignOut {
  // This tab and the others.
  private readonly state = inject(AuthState);
  private readonly pending = inject(PendingSignInStore);
  private readonly keeper = inject(SessionKeeper);
  // The authorization server.
  private readonly discovery = inject(OidcDiscovery);
  private readonly tokens = inject(TokenClient);
  private readonly redirect = inject(BROWSER_REDIRECT);
  private readonly config = inject(APP_CONFIG);

  async run(): Promise<void> {
    const current = this.state.session();
    this.pending.clear();
    this.state.dismiss();
    // Unreachable, the server gets nothing more: the local sign-out is done, revoke() logs why.
    const { metadata, failure } = await this.discovery.metadata().then(
      (found) => ({ metadata: found, failure: null }),
      (error: unknown) => ({ metadata: null, failure: AuthError.from(error) }),
    );
    const ended =
      (await this.keeper
        .change((newest) =>
          this.keeper.endUnderLock(newest ?? current, {
            beforeKeyDeleted: (session) => this.revoke(session, metadata, failure),
          }),
        )
        .catch(() => {
          this.state.setSession(null);
          return null;
        })) ?? current;
    if (!metadata?.end_session_endpoint || !ended) {
      this.redirect(this.config.postLogoutRedirectUri);
      return;
    }
    const url = new URL(metadata.end_session_endpoint);
    url.searchParams.set('id_token_hint', ended.idToken);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri);
    this.redirect(url.href);
  }

  /**
   * Revokes the session's refresh token at the endpoint `metadata` names (null: discovery failed,
   * for `discoveryFailure`); logs (console.warn) what failed, never throws.
   */
  private async revoke(
    session: Session,
    metadata: OidcMetadata | null,
    discoveryFailure: AuthError | null,
  ): Promise<void> {
    if (!session.refreshToken) return;
    const endpoint = metadata?.revocation_endpoint;
    try {
      if (!endpoint) {
        throw discoveryFailure ?? new Error('the discovery document names no revocation_endpoint');
      }
      await this.tokens.revoke(endpoint, session.refreshToken);
    } catch (error) {
      console.warn(
        `Signed out here, but the refresh token was not revoked at ${endpoint ?? this.config.issuer}: ` +
          `${error instanceof Error ? error.message : String(error)}. It stays valid until it ` +
          'expires or the authorization server ends the grant.',
      );
    }
  }
}
