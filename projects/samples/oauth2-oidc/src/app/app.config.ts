import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideZonelessChangeDetection } from '@angular/core';
import { dpopInterceptor, provideDpop, withAllowList, withTokenSource } from '@dpop-lab/angular';
import { provideOAuthClient } from 'angular-oauth2-oidc';

import { SAMPLE_CONFIG, SampleConfig } from '../../../shared/sample-config';
import { SampleSession } from '../../../shared/sample-session';
import { OAuthSession } from './oauth-session';
import { OAuthTokenSource } from './oauth-token-source';

export function sampleProviders(config: SampleConfig): ApplicationConfig {
  return {
    providers: [
      provideZonelessChangeDetection(),
      { provide: SAMPLE_CONFIG, useValue: config },
      // The DPoP interceptor only: no withInterceptorsFromDi(), so the library's own interceptor
      // (which would send the token as Bearer) never runs.
      provideHttpClient(withInterceptors([dpopInterceptor])),
      provideOAuthClient({ resourceServer: { sendAccessToken: false } }),
      provideDpop(
        withAllowList([{ url: config.api.baseUrl, resource: config.api.resource }]),
        withTokenSource(OAuthTokenSource),
      ),
      { provide: SampleSession, useClass: OAuthSession },
    ],
  };
}
