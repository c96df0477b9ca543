import { HttpClient, HttpParams } from '@angular/common/http';
import { computed, Injectable, inject, signal } from '@angular/core';
import { Dpop, DpopServerMetadata } from '@dpop-lab/angular';
import { AuthConfig, OAuthService } from 'angular-oauth2-oidc';
import { firstValueFrom } from 'rxjs';

import { SAMPLE_CONFIG, SampleConfig, sampleHomeUri } from '../../../shared/sample-config';
import { SampleSession, userOf } from '../../../shared/sample-session';
import { refreshOnce } from './oauth-token-source';

/** angular-oauth2-oidc's code flow + PKCE, its token requests signed by @dpop-lab/angular. */
@Injectable()
export class OAuthSession extends SampleSession {
  readonly library = 'angular-oauth2-oidc';
  /** The ID token's claims, read again after each step (the library has no signal of its own). */
  private readonly claims = signal<Record<string, unknown> | null>(null);
  readonly user = computed(() => userOf(this.claims()));
  private metadata?: DpopServerMetadata;

  private readonly oauth = inject(OAuthService);
  private readonly dpop = inject(Dpop);
  private readonly http = inject(HttpClient);
  private readonly config = inject(SAMPLE_CONFIG);

  async start(): Promise<void> {
    this.oauth.configure(authConfigFor(this.config));
    const loaded = await this.oauth.loadDiscoveryDocument();
    this.metadata = (loaded.info as { discoveryDocument: DpopServerMetadata }).discoveryDocument;
    // Before the first token request: its POSTs get a proof and the nonce handshake, and a token
    // response not bound to the key is refused (so the library never stores its tokens).
    this.dpop.useAuthorizationServer(this.metadata);
    try {
      await this.oauth.tryLoginCodeFlow();
    } finally {
      // The code is spent either way; the library leaves `iss` (RFC 9207) in the address bar.
      if (location.search) history.replaceState(null, '', sampleHomeUri());
      this.update();
    }
  }

  async signIn(): Promise<void> {
    // A fresh key for this sign-in; its thumbprint binds the authorization code (RFC 9449 §10).
    const dpopJkt = await this.dpop.prepare(this.discovered());
    this.oauth.initCodeFlow('', dpopJkt ? { dpop_jkt: dpopJkt } : {});
  }

  async refresh(): Promise<void> {
    try {
      await refreshOnce(this.oauth);
    } finally {
      this.update();
    }
  }

  async signOut(): Promise<void> {
    // RFC 7009 for the refresh token, with a DPoP proof of its key (the interceptor signs it).
    // Not revokeTokenAndLogout(): it also revokes the access token, which a server may refuse for
    // a JWT (oidc-provider: unsupported_token_type), and then signs nothing out.
    const revocation = this.discovered().revocation_endpoint;
    const refreshToken = this.oauth.getRefreshToken();
    if (revocation && refreshToken) {
      const form = {
        client_id: this.config.clientId,
        token: refreshToken,
        token_type_hint: 'refresh_token',
      };
      await firstValueFrom(
        this.http.post(revocation, new HttpParams({ fromObject: form }), { responseType: 'text' }),
      );
    }
    await this.dpop.end();
    // RP-initiated logout: clears the library's storage and leaves for the end-session page.
    this.oauth.logOut();
  }

  private update(): void {
    this.claims.set(this.oauth.hasValidIdToken() ? this.oauth.getIdentityClaims() : null);
  }

  private discovered(): DpopServerMetadata {
    if (!this.metadata) throw new Error('The discovery document is not loaded yet.');
    return this.metadata;
  }
}

function authConfigFor(config: SampleConfig): AuthConfig {
  return {
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: sampleHomeUri(),
    postLogoutRedirectUri: sampleHomeUri(),
    responseType: 'code',
    scope: config.scopes.join(' '),
    // RFC 8707: on the authorization request and on every token request (code exchange and
    // refresh), so the access token's audience is the API.
    customQueryParams: { resource: config.api.resource },
    // Refresh tokens, not the silent-refresh or session-check iframes.
    useSilentRefresh: false,
    sessionChecksEnabled: false,
  };
}
