import { computed, Injectable, inject } from '@angular/core';
import { Dpop, DpopServerMetadata } from '@dpop-lab/angular';
import { LoginResponse, OidcSecurityService } from 'angular-auth-oidc-client';
import { firstValueFrom, Observable } from 'rxjs';

import { SampleSession, userOf } from '../../../shared/sample-session';
import { DpopRefusals } from './dpop-refusals';

/** angular-auth-oidc-client's code flow + PKCE, its token requests signed by @dpop-lab/angular. */
@Injectable()
export class OidcClientSession extends SampleSession {
  readonly library = 'angular-auth-oidc-client';
  private readonly oidc = inject(OidcSecurityService);
  private readonly dpop = inject(Dpop);
  private readonly refusals = inject(DpopRefusals);
  readonly user = computed(() =>
    this.oidc.authenticated().isAuthenticated ? userOf(this.oidc.userData().userData) : null,
  );
  private metadata?: DpopServerMetadata;

  async start(): Promise<void> {
    const endpoints = await firstValueFrom(this.oidc.preloadAuthWellKnownDocument());
    if (!endpoints.tokenEndpoint)
      throw new Error('The discovery document names no token endpoint.');
    // The library keeps these names of the discovery document, not dpop_signing_alg_values_supported.
    this.metadata = {
      token_endpoint: endpoints.tokenEndpoint,
      revocation_endpoint: endpoints.revocationEndpoint,
      pushed_authorization_request_endpoint: endpoints.parEndpoint,
    };
    // Before checkAuth(), which exchanges the code: token requests get a proof and the nonce
    // handshake, and a token response not bound to the key is refused.
    this.dpop.useAuthorizationServer(this.metadata);
    await this.attempt(this.oidc.checkAuth());
  }

  async signIn(): Promise<void> {
    // A fresh key for this sign-in; its thumbprint binds the authorization code (RFC 9449 §10).
    const dpopJkt = await this.dpop.prepare(this.discovered());
    this.oidc.authorize(undefined, dpopJkt ? { customParams: { dpop_jkt: dpopJkt } } : {});
  }

  async refresh(): Promise<void> {
    await this.attempt(this.oidc.forceRefreshSession());
  }

  async signOut(): Promise<void> {
    // RFC 7009 for the refresh token, with a DPoP proof of its key (the interceptor signs it).
    // Not logoffAndRevokeTokens(): it also revokes the access token, which a server may refuse
    // for a JWT (oidc-provider: unsupported_token_type), and then signs nothing out.
    await firstValueFrom(this.oidc.revokeRefreshToken());
    await this.dpop.end();
    // RP-initiated logout: clears the library's storage and leaves for the end-session page.
    await firstValueFrom(this.oidc.logoff());
  }

  /**
   * A sign-in or refresh of the library; its failure is thrown as the DPoP refusal behind it when
   * there was one (the library says only "OidcService code request").
   */
  private async attempt(step: Observable<LoginResponse>): Promise<void> {
    this.refusals.last = null;
    let result: LoginResponse;
    try {
      result = await firstValueFrom(step);
    } catch (error) {
      throw this.refusals.last ?? error;
    }
    if (result.errorMessage) throw this.refusals.last ?? new Error(result.errorMessage);
  }

  private discovered(): DpopServerMetadata {
    if (!this.metadata) throw new Error('The discovery document is not loaded yet.');
    return this.metadata;
  }
}
