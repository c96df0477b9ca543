/**
 * The shell + DPoP Lab's auth and DPoP layers, wired as src/app/app.config.ts wires them
 * (interceptor, provideDpop with every feature the app uses, session restore before the first
 * route); the real Auth service signs in and completes the callback. Auth and the DPoP core load
 * their heavy parts on first use (the sign-in flow, the key store, proof signing, jose), so this
 * measures what the app's first page loads. The app's runtime config.json loader and the
 * walkthrough's bearer comparison are left out (the okta variant gets its settings inline too).
 */
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { inject, provideAppInitializer } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';

import { Auth } from '../../../src/app/auth/auth';
import { AuthTokenSource } from '../../../src/app/auth/auth-token-source';
import { APP_CONFIG, AppConfig, KEY_DATABASE_NAME } from '../../../src/app/config/app-config';
import {
  dpopInterceptor,
  provideDpop,
  withAlgorithms,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withTokenSource,
} from '@dpop-lab/angular';
import { API_BASE, Shell, SHELL_AUTH, shellConfig, ShellAuth } from '../shell/shell';

const config: AppConfig = {
  issuer: 'http://localhost:3000',
  clientId: 'dpop-lab-spa',
  scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read', 'apps:read'],
  redirectPath: '/login/callback',
  redirectUri: `${location.origin}/login/callback`,
  postLogoutRedirectPath: '/',
  postLogoutRedirectUri: `${location.origin}/`,
  api: { baseUrl: API_BASE, resource: 'http://localhost:3001/api' },
};

function dpopLabAuth(): ShellAuth {
  const auth = inject(Auth);
  return {
    signIn: () => auth.signIn('/'),
    completeSignIn: async (url) => {
      const query = url.searchParams;
      await auth.completeSignIn({
        code: query.get('code'),
        state: query.get('state'),
        iss: query.get('iss'),
        error: query.get('error'),
        error_description: query.get('error_description'),
      });
    },
  };
}

bootstrapApplication(
  Shell,
  shellConfig(
    { provide: APP_CONFIG, useValue: config },
    provideHttpClient(withFetch(), withInterceptors([dpopInterceptor])),
    provideDpop(
      withAllowList([{ url: config.api.baseUrl, resource: config.api.resource }]),
      withTokenSource(AuthTokenSource),
      withKeyStorage({ databaseName: KEY_DATABASE_NAME, memoryFallback: true }),
      withAlgorithms(['ES256', 'EdDSA', 'PS256', 'RS256']),
      withClockSkewCorrection(),
    ),
    provideAppInitializer(() => inject(Auth).restore()),
    { provide: SHELL_AUTH, useFactory: dpopLabAuth },
  ),
).catch((error: unknown) => console.error(error));
