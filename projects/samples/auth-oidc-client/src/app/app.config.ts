import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideZonelessChangeDetection } from '@angular/core';
import { dpopInterceptor, provideDpop, withAllowList, withTokenSource } from '@dpop-lab/angular';
import { OpenIdConfiguration, provideAuth } from 'angular-auth-oidc-client';

import { SAMPLE_CONFIG, SampleConfig, sampleHomeUri } from '../../../shared/sample-config';
import { SampleSession } from '../../../shared/sample-session';
import { recordDpopRefusals } from './dpop-refusals';
import { OidcClientSession } from './oidc-client-session';
import { OidcClientTokenSource } from './oidc-client-token-source';

export function sampleProviders(config: SampleConfig): ApplicationConfig {
  return {
    providers: [
      provideZonelessChangeDetection(),
      { provide: SAMPLE_CONFIG, useValue: config },
      // The DPoP interceptor only: not the library's authInterceptor(), which sends Bearer.
      provideHttpClient(withInterceptors([recordDpopRefusals, dpopInterceptor])),
      provideAuth({ config: oidcConfigFor(config) }),
      provideDpop(
        withAllowList([{ url: config.api.baseUrl, resource: config.api.resource }]),
        withTokenSource(OidcClientTokenSource),
      ),
      { provide: SampleSession, useClass: OidcClientSession },
    ],
  };
}

function oidcConfigFor(config: SampleConfig): OpenIdConfiguration {
  const resource = { resource: config.api.resource };
  return {
    authority: config.issuer,
    clientId: config.clientId,
    redirectUrl: sampleHomeUri(),
    postLogoutRedirectUri: sampleHomeUri(),
    responseType: 'code',
    scope: config.scopes.join(' '),
    // RFC 8707 on the authorization request and every token request, so the access token's
    // audience is the API.
    customParamsAuthRequest: resource,
    customParamsCodeRequest: resource,
    customParamsRefreshTokenRequest: resource,
    // Renew with the refresh token (DPoP-bound like the access token) before it expires.
    useRefreshToken: true,
    silentRenew: true,
    renewTimeBeforeTokenExpiresInSeconds: 30,
    // A refreshed ID token carries the sign-in's nonce (oidc-provider does, as OIDC Core §12.2
    // allows); the library checks it against none unless told.
    ignoreNonceAfterRefresh: true,
    // The embedded server gives this client refresh tokens without offline_access.
    disableRefreshTokenOfflineAccessScopeWarning: true,
    // The user comes from the ID token: userinfo refuses the API's token, and the library would
    // send it there as Bearer.
    autoUserInfo: false,
    // No router in this sample: the library must not navigate after the callback.
    triggerAuthorizationResultEvent: true,
  };
}
