import { HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';

import { BearerSession } from '../bearer-comparison/bearer-session';
import { APP_CONFIG } from '../config/app-config';
import { forgetLabRecords } from '../shared/lab-records';
import { SIGNED_OUT_PATH } from '../shell/app-paths';
import { Revocation, saveSignOutReport, SignOutReport } from '../signed-out/sign-out-report';
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
 *    RP-Initiated Logout 1.0) — unless it did not answer: then the browser goes straight to the
 *    app's signed-out page, never to a page that cannot load.
 * What was done is kept for that page (`SignOutReport`), which says only what is true. The lab's
 * records of the session (the inspector's log, the attack results) and the comparison's plain
 * bearer token are forgotten.
 * Loaded on the first sign-out (see `Auth`).
 */
@Injectable({ providedIn: 'root' })
export class SignOut {
  // This tab and the others.
  private readonly state = inject(AuthState);
  private readonly pending = inject(PendingSignInStore);
  private readonly bearer = inject(BearerSession);
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
    forgetLabRecords();
    this.bearer.end();
    // Unreachable, the server gets nothing more: the local sign-out is done, revoke() logs why.
    const { metadata, failure } = await this.discovery.metadata().then(
      (found) => ({ metadata: found, failure: null }),
      (error: unknown) => ({ metadata: null, failure: AuthError.from(error) }),
    );
    let revocation: Revocation & { unreachable?: boolean } = { outcome: 'no-refresh-token' };
    let keyDeleted = true;
    const ended =
      (await this.keeper
        .change((newest) =>
          this.keeper.endUnderLock(newest ?? current, {
            beforeKeyDeleted: async (session) => {
              revocation = await this.revoke(session, metadata, failure);
            },
          }),
        )
        .catch(() => {
          keyDeleted = false;
          this.state.setSession(null);
          return null;
        })) ?? current;
    const { unreachable, ...revoked } = revocation;
    const server: SignOutReport['server'] =
      !metadata || unreachable
        ? 'unreachable'
        : !metadata.end_session_endpoint
          ? 'no-endpoint'
          : ended
            ? 'ending'
            : 'none';
    saveSignOutReport({
      jkt: ended?.jkt ?? null,
      keyDeleted,
      revocation: revoked,
      server,
      arriving: true,
    });
    if (server !== 'ending' || !metadata?.end_session_endpoint || !ended) {
      this.redirect(new URL(SIGNED_OUT_PATH, this.config.postLogoutRedirectUri).href);
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
   * for `discoveryFailure`); logs (console.warn) what failed and says it in the result, never
   * throws. `unreachable`: the server did not answer, so the app does not send the browser there.
   */
  private async revoke(
    session: Session,
    metadata: OidcMetadata | null,
    discoveryFailure: AuthError | null,
  ): Promise<Revocation & { unreachable?: boolean }> {
    if (!session.refreshToken) return { outcome: 'no-refresh-token' };
    const endpoint = metadata?.revocation_endpoint;
    try {
      if (!endpoint) {
        throw discoveryFailure ?? new Error('the discovery document names no revocation_endpoint');
      }
      await this.tokens.revoke(endpoint, session.refreshToken);
      return { outcome: 'revoked' };
    } catch (error) {
      console.warn(
        `Signed out here, but the refresh token was not revoked at ${endpoint ?? this.config.issuer}: ` +
          `${error instanceof Error ? error.message : String(error)}. It stays valid until it ` +
          'expires or the authorization server ends the grant.',
      );
      const unreachable = didNotAnswer(error);
      return {
        outcome: 'not-revoked',
        reason: whyNotRevoked(error, metadata, unreachable),
        unreachable,
      };
    }
  }
}

/** Whether a failure means the authorization server gave no answer at all (down, timed out). */
function didNotAnswer(error: unknown): boolean {
  if (!(error instanceof AuthError)) return false;
  if (error.code === 'discovery_unreachable') return true;
  const cause = error.cause;
  return (
    error.code === 'token_request_failed' &&
    (!(cause instanceof HttpErrorResponse) || cause.status === 0)
  );
}

/** Why the revocation failed, in the signed-out page's words. */
function whyNotRevoked(error: unknown, found: OidcMetadata | null, unreachable: boolean): string {
  if (unreachable) return 'the authorization server did not answer';
  if (!found) return 'the authorization server could not be found';
  if (!found.revocation_endpoint) return 'the authorization server names no revocation endpoint';
  if (error instanceof AuthError && error.server) {
    return `the authorization server refused it (${error.server.error})`;
  }
  if (error instanceof AuthError && error.cause instanceof HttpErrorResponse) {
    return `the authorization server answered ${error.cause.status}`;
  }
  return 'the request could not be sent';
}
