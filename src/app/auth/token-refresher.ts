import { inject, Injectable } from '@angular/core';

import { APP_CONFIG } from '../config/app-config';
import { AuthError } from './auth-error';
import { AuthState } from './auth-state';
import { IdTokenValidator } from './id-token';
import { OidcDiscovery } from './oidc-discovery';
import { DEFAULT_RESOURCE, freshToken, pickUser, Session, storedToken } from './session';
import { SessionKeeper } from './session-keeper';
import { TokenClient } from './token-client';

/**
 * Access tokens per resource (RFC 8707), refreshed with the refresh-token grant when missing or
 * about to expire. The embedded server's userinfo refuses a token whose audience is the API, so
 * each resource has its own.
 *
 * One refresh at a time, in this tab and across tabs: every refresh runs under the session's
 * lock and starts from the newest session. Whoever waited for the lock usually finds the token
 * the previous holder got, and sends nothing; a refresh token is never sent twice, which a server
 * that rotates refresh tokens would punish by revoking the whole grant (RFC 9700 §4.14.2).
 * Loaded when a token first needs refreshing (see `Auth`).
 */
@Injectable({ providedIn: 'root' })
export class TokenRefresher {
  private readonly state = inject(AuthState);
  private readonly keeper = inject(SessionKeeper);
  private readonly clientId = inject(APP_CONFIG).clientId;
  private readonly discovery = inject(OidcDiscovery);
  private readonly tokens = inject(TokenClient);
  private readonly idTokens = inject(IdTokenValidator);

  /**
   * A valid access token for `resource` (none: the sign-in token), for a caller that found this
   * tab's token missing or about to expire (`Auth.accessToken`): under the lock, the newest
   * session's token if another tab (or caller) refreshed it meanwhile, else a refreshed one.
   */
  accessToken(resource?: string): Promise<string> {
    return this.keeper.change((newest) => this.refreshUnlessFresh(newest, resource));
  }

  private async refreshUnlessFresh(
    session: Session | null,
    resource: string | undefined,
  ): Promise<string> {
    if (!session) {
      const notice = 'You signed out in another tab. Sign in to continue here.';
      this.state.setSession(null, notice);
      throw new AuthError('session_expired', notice);
    }
    return freshToken(session, resource) ?? this.refresh(session, resource);
  }

  private async refresh(session: Session, resource: string | undefined): Promise<string> {
    if (!session.refreshToken) {
      throw new AuthError(
        'no_refresh_token',
        resource === undefined
          ? 'The access token has expired and the server issued no refresh token. Sign in again.'
          : `The server issued no refresh token, so the app cannot get a token for ${resource}: ` +
              'add "offline_access" to the scopes and allow the refresh-token grant for the client.',
      );
    }
    const metadata = await this.discovery.metadata();
    // The interceptor refuses a response whose tokens are not bound to the session's key.
    const response = await this.tokens
      .refresh(metadata.token_endpoint, { refreshToken: session.refreshToken, resource })
      .catch((error: unknown) => this.endIfRefused(error, session));
    let { idToken, user } = session;
    if (response.id_token) {
      const claims = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId: this.clientId,
        jwksUri: metadata.jwks_uri,
        nonce: undefined,
      });
      // Another user's ID token (OpenID Connect Core §12.2: sub must be the same): whatever this
      // response holds is not this session's, and nothing of it is kept.
      if (claims.sub !== session.user.sub) {
        return this.endSession(
          session,
          new AuthError(
            'invalid_id_token',
            `The refreshed ID token is about another user (sub "${claims.sub}", not ` +
              `"${session.user.sub}"), so the session has ended. Sign in again.`,
          ),
        );
      }
      idToken = response.id_token;
      // Claims this ID token leaves out (a name read from userinfo at sign-in) stay.
      user = { ...session.user, ...pickUser(claims) };
    }
    await this.keeper.save({
      ...session,
      revision: session.revision + 1,
      idToken,
      user,
      // Refresh tokens may rotate: always keep the newest.
      refreshToken: response.refresh_token ?? session.refreshToken,
      tokens: { ...session.tokens, [resource ?? DEFAULT_RESOURCE]: storedToken(response) },
    });
    return response.access_token;
  }

  /**
   * `invalid_grant` means the refresh token is expired or revoked: the session is over. Says so
   * once and ends it everywhere — no retry loop. Other failures go to the caller as they are.
   */
  private async endIfRefused(error: unknown, session: Session): Promise<never> {
    if (!(error instanceof AuthError) || error.server?.error !== 'invalid_grant') throw error;
    return this.endSession(
      session,
      new AuthError(
        'session_expired',
        'Your session has ended (the server no longer accepts its refresh token). Sign in again.',
        { server: error.server, cause: error },
      ),
    );
  }

  /**
   * Ends `session` here and in the other tabs (we hold the lock: `SessionKeeper.endUnderLock`),
   * with `reason`'s message as the notice, and throws `reason`. If the session cannot be deleted,
   * this tab is signed out all the same.
   */
  private async endSession(session: Session, reason: AuthError): Promise<never> {
    await this.keeper
      .endUnderLock(session, { notice: reason.message })
      .catch(() => this.state.setSession(null, reason.message));
    throw reason;
  }
}
