import { inject, Injectable } from '@angular/core';
import { Dpop } from '@dpop-lab/angular';

import { APP_CONFIG } from '../config/app-config';
import { forgetLabRecords } from '../shared/lab-records';
import { forgetSignOutReport } from '../signed-out/sign-out-report';
import { AuthError } from './auth-error';
import { AuthState } from './auth-state';
import { newAuthorization } from './authorization-request';
import { CallbackParams, checkAuthorizationResponse, checkIssuer } from './authorization-response';
import { BROWSER_REDIRECT } from './browser-redirect';
import { IdTokenValidator } from './id-token';
import { OidcDiscovery } from './oidc-discovery';
import { PendingSignInStore } from './pending-sign-in';
import { DEFAULT_RESOURCE, pickUser, Session, storedToken } from './session';
import { SessionKeeper } from './session-keeper';
import { TokenClient } from './token-client';
import { UserinfoClaims } from './userinfo-claims';

/**
 * The authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636) and DPoP (RFC 9449): the
 * redirect to the authorization server and the callback. Failures end up in `AuthState.error`, never as a
 * rejected promise. Loaded when a sign-in starts or its callback page opens; `Auth`, its only
 * caller, has set the state to signing in by then.
 */
@Injectable({ providedIn: 'root' })
export class SignInFlow {
  private readonly config = inject(APP_CONFIG);
  private readonly state = inject(AuthState);
  private readonly keeper = inject(SessionKeeper);
  private readonly dpop = inject(Dpop);
  private readonly discovery = inject(OidcDiscovery);
  private readonly pending = inject(PendingSignInStore);
  private readonly tokens = inject(TokenClient);
  private readonly idTokens = inject(IdTokenValidator);
  private readonly redirect = inject(BROWSER_REDIRECT);
  private readonly userinfo = inject(UserinfoClaims);

  /**
   * Ends the current session, makes a fresh key, PKCE, `state` and `nonce`, and leaves. The lab's
   * records of earlier sessions (and the last sign-out's report) are forgotten: a new key starts
   * a new story.
   */
  async start(returnUrl: string): Promise<void> {
    try {
      const metadata = await this.discovery.metadata();
      await this.keeper.end();
      const dpopJkt = await this.dpop.prepare(metadata);
      const { pending, url } = await newAuthorization(
        {
          authorizationEndpoint: metadata.authorization_endpoint,
          clientId: this.config.clientId,
          redirectUri: this.config.redirectUri,
          scopes: this.config.scopes,
          dpopJkt,
          resources: this.config.api.resource ? [this.config.api.resource] : [],
        },
        returnUrl,
      );
      this.pending.save(pending);
      forgetLabRecords();
      forgetSignOutReport();
      this.redirect(url);
    } catch (error) {
      this.state.failed(AuthError.from(error));
    }
  }

  /**
   * The callback: checks `state` and `iss`, exchanges the code (the interceptor adds the DPoP
   * proof), refuses tokens not bound to the key, validates the ID token, and completes the user's claims from
   * userinfo when the ID token has no name to show. Resolves to the app URL to go to, or null on
   * failure.
   */
  async complete(params: CallbackParams): Promise<string | null> {
    try {
      const { pending, code } = checkAuthorizationResponse(params, this.pending.take());
      const metadata = await this.discovery.metadata();
      checkIssuer(params.iss, metadata);
      if (pending.dpopJkt && !(await this.dpop.restore(pending.dpopJkt))) {
        throw new AuthError(
          'key_lost',
          'The DPoP key this sign-in was started with is gone (was site data cleared?). Sign in again.',
        );
      }
      const response = await this.tokens.exchangeCode(metadata.token_endpoint, {
        code,
        codeVerifier: pending.codeVerifier,
        redirectUri: this.config.redirectUri,
      });
      const jkt = await this.dpop.verifyIssued(response).catch((error: unknown) => {
        throw AuthError.from(error);
      });
      if (!response.id_token) {
        throw new AuthError(
          'invalid_token_response',
          'The token response has no ID token: is "openid" in the scopes?',
        );
      }
      const claims = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId: this.config.clientId,
        jwksUri: metadata.jwks_uri,
        nonce: pending.nonce,
      });
      const session: Session = {
        jkt,
        signedInAt: Date.now(),
        revision: 0,
        ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
        idToken: response.id_token,
        user: pickUser(claims),
        tokens: { [DEFAULT_RESOURCE]: storedToken(response) },
      };
      await this.keeper.change(() => this.keeper.save(session));
      // Still "signing in" meanwhile: the header shows the name once, not the sub first.
      await this.userinfo.complete(session, metadata);
      this.state.signInFinished();
      return pending.returnUrl;
    } catch (error) {
      this.state.failed(AuthError.from(error));
      return null;
    }
  }
}
