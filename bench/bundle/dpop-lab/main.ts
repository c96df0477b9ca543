/**
 * The shell + DPoP Lab's auth and DPoP layers, wired as src/app/app.config.ts wires them
 * (interceptor, provideDpop with the app's features but its devtools, session restore before the first
 * route); the real Auth service signs in and completes the callback. Auth and the DPoP core load
 * their heavy parts on first use (the sign-in flow, the key store, proof signing, jose), so this
 * measures what the app's first page loads. The app's runtime config.json loader and the
 * walkthrough's bearer comparison are left out (the okta variant gets its settings inline too).
 */
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { inject, provideAppInitializer } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';

import { dpopInterceptor, provideDpop } from '@dpop-lab/angular';

import { Auth } from '../../../src/app/auth/auth';
import { APP_CONFIG, AppConfig } from '../../../src/app/config/app-config';
import { dpopFeatures } from '../../../src/app/config/dpop-features';
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
    provideDpop(...dpopFeatures(config)),
    provideAppInitializer(() => inject(Auth).restore()),
    { provide: SHELL_AUTH, useFactory: dpopLabAuth },
  ),
).catch((error: unknown) => console.error(error));
