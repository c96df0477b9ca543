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
import { dpopInterceptor, provideDpop } from '@dpop-lab/angular';
import { withDpopDevtools } from '@dpop-lab/angular/devtools';

import { appRoutes } from './app.routes';
import { Auth } from './auth/auth';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { dpopFeatures } from './config/dpop-features';
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
      // The lab's inspector shows every exchange since the page loaded (withDpopDevtools).
      provideDpop(...dpopFeatures(config), withDpopDevtools()),
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
