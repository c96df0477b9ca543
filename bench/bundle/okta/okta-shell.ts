/**
 * The shell + okta-auth-js with DPoP on, set up as its README says: `new OktaAuth({ pkce: true,
 * dpop: true })`, `start()` before the first route (token manager and auto-renew, the
 * counterpart of DPoP Lab's session restore), `signInWithRedirect()`, `handleLoginRedirect()` on
 * the callback, and an interceptor built from its "Fetching DPoP-Protected Resource" and
 * "Handling use_dpop_nonce" examples (getDPoPAuthorizationHeaders, parseUseDPoPNonceError).
 * Shared by the two okta variants, which differ only in the entry point the class comes from.
 */
import {
  HttpErrorResponse,
  HttpInterceptorFn,
  provideHttpClient,
  withFetch,
  withInterceptors,
} from '@angular/common/http';
import { inject, InjectionToken, provideAppInitializer } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import type { OktaAuthOptions } from '@okta/okta-auth-js';
import { catchError, from, switchMap, throwError } from 'rxjs';

import { API_BASE, Shell, SHELL_AUTH, shellConfig } from '../shell/shell';

/** The part of OktaAuth this shell uses; both entry points' classes have it. */
export interface OktaLike {
  start(): Promise<void>;
  signInWithRedirect(): Promise<void>;
  handleLoginRedirect(): Promise<void>;
  getDPoPAuthorizationHeaders(params: {
    url: string;
    method: string;
    nonce?: string;
  }): Promise<{ Authorization: string; Dpop: string }>;
  parseUseDPoPNonceError(headers: Record<string, string>): string | null;
}

export const OKTA_OPTIONS: OktaAuthOptions = {
  issuer: 'http://localhost:3000',
  clientId: 'dpop-lab-spa',
  redirectUri: `${location.origin}/login/callback`,
  scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read', 'apps:read'],
  pkce: true,
  dpop: true,
};

const OKTA_AUTH = new InjectionToken<OktaLike>('OKTA_AUTH');

const oktaDpopInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(API_BASE)) return next(req);
  const okta = inject(OKTA_AUTH);
  const withProof = (nonce?: string) =>
    from(okta.getDPoPAuthorizationHeaders({ url: req.url, method: req.method, nonce })).pipe(
      switchMap((headers) => next(req.clone({ setHeaders: { ...headers } }))),
    );
  return withProof().pipe(
    catchError((error: unknown) => {
      const nonce =
        error instanceof HttpErrorResponse
          ? okta.parseUseDPoPNonceError(
              Object.fromEntries(error.headers.keys().map((k) => [k, error.headers.get(k) ?? ''])),
            )
          : null;
      return nonce ? withProof(nonce) : throwError(() => error);
    }),
  );
};

export function bootstrapOktaShell(create: () => OktaLike): void {
  bootstrapApplication(
    Shell,
    shellConfig(
      { provide: OKTA_AUTH, useFactory: create },
      provideHttpClient(withFetch(), withInterceptors([oktaDpopInterceptor])),
      provideAppInitializer(() => inject(OKTA_AUTH).start()),
      {
        provide: SHELL_AUTH,
        useFactory: () => {
          const okta = inject(OKTA_AUTH);
          return {
            signIn: () => okta.signInWithRedirect(),
            completeSignIn: () => okta.handleLoginRedirect(),
          };
        },
      },
    ),
  ).catch((error: unknown) => console.error(error));
}
