import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  Injector,
  provideAppInitializer,
  provideEnvironmentInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter } from '@angular/router';
import {
  dpopInterceptor,
  provideDpop,
  withAlgorithms,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withTokenSource,
} from '@dpop-lab/angular';
import { withDpopDevtools } from '@dpop-lab/angular/devtools';

import { appRoutes } from './app.routes';
import { Auth } from './auth/auth';
import { AuthTokenSource } from './auth/auth-token-source';
import { APP_CONFIG, AppConfig, KEY_DATABASE_NAME } from './config/app-config';
import { requestPurposeInterceptor } from './shared/request-purpose';

/** The app's providers for a validated runtime configuration (see main.ts). */
export function appConfig(config: AppConfig): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      // The default since Angular 21 (no zone.js is loaded); explicit so the intent is visible.
      provideZonelessChangeDetection(),
      { provide: APP_CONFIG, useValue: config },
      provideRouter(appRoutes(config)),
      // The fetch backend exposes response headers (DPoP-Nonce, WWW-Authenticate) that the
      // server lists in Access-Control-Expose-Headers, which is all the interceptor reads.
      // requestPurposeInterceptor runs after the DPoP interceptor, so it sees each proof.
      provideHttpClient(
        withFetch(),
        withInterceptors([dpopInterceptor, requestPurposeInterceptor]),
      ),
      provideDpop(
        // The API; the authorization server's endpoints and userinfo join when discovery names
        // them (OidcDiscovery).
        withAllowList([{ url: config.api.baseUrl, resource: config.api.resource }]),
        withTokenSource(AuthTokenSource),
        // IndexedDB refused the key (private mode, DataCloneError): a memory-only key for this tab.
        withKeyStorage({ databaseName: KEY_DATABASE_NAME, memoryFallback: true }),
        // ES256 first; EdDSA, PS256, RS256 for a server that does not accept it (RFC 9449 §5.1, §7.1).
        withAlgorithms(['ES256', 'EdDSA', 'PS256', 'RS256']),
        // A device clock minutes off: correct iat by the API's Date header and retry once.
        withClockSkewCorrection(),
        // The lab's inspector shows every exchange since the page loaded.
        withDpopDevtools(),
      ),
      // Restores the session (if its DPoP key is still there) before the first route; where keys
      // can live is checked after that, in the background (SessionKeeper.restore).
      provideAppInitializer(() => inject(Auth).restore()),
      // The inspector's log, kept for this tab's session from the first page on (loaded beside
      // it, not with it).
      provideEnvironmentInitializer(() => {
        const injector = inject(Injector);
        void import('./inspector/exchange-log').then(({ ExchangeLog }) =>
          injector.get(ExchangeLog),
        );
      }),
    ],
  };
}
