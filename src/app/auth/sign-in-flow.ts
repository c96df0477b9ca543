import { inject, Injectable } from '@angular/core';

import { APP_CONFIG } from '../config/app-config';
import { AuthError } from './auth-error';
import { AuthState } from './auth-state';
import { buildAuthorizationUrl } from './authorization-request';
import {
  CallbackParams,
  checkAuthorizationResponse,
  checkIssuer,
  safeReturnUrl,
} from './authorization-response';
import { BROWSER_REDIRECT } from './browser-redirect';
import { IdTokenValidator } from './id-token';
import { OidcDiscovery } from './oidc-discovery';
import { PendingSignIn, PendingSignInStore } from './pending-sign-in';
import { createPkce, randomToken } from './pkce';
import { DEFAULT_RESOURCE, pickUser, Session, SignInModeName, storedToken } from './session';
import { SessionKeeper } from './session-keeper';
import { SignInModes } from './sign-in-mode';
import { TokenClient } from './token-client';

/**
 * The authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636): the redirect to the
 * authorization server, the callback, and sign-out (RP-initiated logout). Failures end up in
 * `AuthState.error`, never as a rejected promise.
 */
@Injectable({ providedIn: 'root' })
export class SignInFlow {
  private readonly config = inject(APP_CONFIG);
  private readonly state = inject(AuthState);
  private readonly keeper = inject(SessionKeeper);
  private readonly modes = inject(SignInModes);
  private readonly discovery = inject(OidcDiscovery);
  private readonly pending = inject(PendingSignInStore);
  private readonly tokens = inject(TokenClient);
  private readonly idTokens = inject(IdTokenValidator);
  private readonly redirect = inject(BROWSER_REDIRECT);
  private completing: Promise<unknown> = Promise.resolve();

  /** Resolves when no callback is being completed (a guard must not start another sign-in). */
  callbackSettled(): Promise<void> {
    return this.completing.then(() => undefined);
  }

  /** Ends the current session, makes a fresh key, PKCE, `state` and `nonce`, and leaves. */
  async start(returnUrl: string, modeName: SignInModeName): Promise<void> {
    this.state.signingIn();
    try {
      const mode = this.modes.get(modeName);
      const metadata = await this.discovery.metadata();
      await this.endSession();
      const dpopJkt = await mode.prepare(metadata);
      const pkce = await createPkce();
      const pending: PendingSignIn = {
        state: randomToken(),
        nonce: randomToken(),
        codeVerifier: pkce.verifier,
        returnUrl: safeReturnUrl(returnUrl),
        mode: mode.name,
        ...(dpopJkt ? { dpopJkt } : {}),
      };
      this.pending.save(pending);
      this.redirect(
        buildAuthorizationUrl({
          authorizationEndpoint: metadata.authorization_endpoint,
          clientId: mode.clientId,
          redirectUri: this.config.redirectUri,
          scopes: this.config.scopes,
          state: pending.state,
          nonce: pending.nonce,
          codeChallenge: pkce.challenge,
          dpopJkt,
          resources: this.config.api.resource ? [this.config.api.resource] : [],
        }),
      );
    } catch (error) {
      this.state.failed(AuthError.from(error));
    }
  }

  /**
   * The callback: checks `state` and `iss`, exchanges the code (with a DPoP proof in DPoP mode),
   * refuses tokens of the wrong kind, validates the ID token. Resolves to the app URL to go to,
   * or null on failure.
   */
  complete(params: CallbackParams): Promise<string | null> {
    const completing = this.exchange(params);
    this.completing = completing;
    return completing;
  }

  private async exchange(params: CallbackParams): Promise<string | null> {
    this.state.signingIn();
    try {
      const { pending, code } = checkAuthorizationResponse(params, this.pending.take());
      const metadata = await this.discovery.metadata();
      checkIssuer(params.iss, metadata);
      const mode = this.modes.get(pending.mode);
      if (pending.dpopJkt && !(await mode.restore(pending.dpopJkt))) {
        throw new AuthError(
          'key_lost',
          'The DPoP key this sign-in was started with is gone (was site data cleared?). Sign in again.',
        );
      }
      const response = await this.tokens.exchangeCode(metadata.token_endpoint, mode, {
        code,
        codeVerifier: pending.codeVerifier,
        redirectUri: this.config.redirectUri,
      });
      const jkt = await mode.checkIssued(response);
      if (!response.id_token) {
        throw new AuthError(
          'invalid_token_response',
          'The token response has no ID token: is "openid" in the scopes?',
        );
      }
      const claims = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId: mode.clientId,
        jwksUri: metadata.jwks_uri,
        nonce: pending.nonce,
      });
      const session: Session = {
        mode: mode.name,
        ...(jkt ? { jkt } : {}),
        signedInAt: Date.now(),
        revision: 0,
        ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
        idToken: response.id_token,
        user: pickUser(claims),
        tokens: { [DEFAULT_RESOURCE]: storedToken(response) },
      };
      await this.keeper.change(() => this.keeper.save(session));
      this.state.signInFinished();
      return pending.returnUrl;
    } catch (error) {
      this.state.failed(AuthError.from(error));
      return null;
    }
  }

  /**
   * Forgets the session here and in the other tabs, deletes what its tokens were bound to, then
   * lets the authorization server end its session and send the browser back.
   */
  async signOut(): Promise<void> {
    const session = this.state.session();
    this.pending.clear();
    this.state.dismiss();
    await this.endSession().catch(() => this.state.setSession(null));
    let endSessionEndpoint: string | undefined;
    try {
      endSessionEndpoint = (await this.discovery.metadata()).end_session_endpoint;
    } catch {
      // The server is unreachable: the local sign-out is done, go home.
    }
    if (!endSessionEndpoint || !session) {
      this.redirect(this.config.postLogoutRedirectUri);
      return;
    }
    const url = new URL(endSessionEndpoint);
    url.searchParams.set('id_token_hint', session.idToken);
    url.searchParams.set('client_id', this.modes.get(session.mode).clientId);
    url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri);
    this.redirect(url.href);
  }

  /** Deletes the stored session (telling the other tabs) and what its tokens were bound to. */
  private endSession(): Promise<void> {
    return this.keeper.change(async (newest) => {
      await this.keeper.save(null);
      const ended = newest ?? this.state.session();
      await (ended ? this.modes.get(ended.mode) : this.modes.get('DPoP')).end();
    });
  }
}
