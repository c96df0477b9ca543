import { inject } from '@angular/core';
import { Route, Router, Routes } from '@angular/router';

import { signedIn } from './auth/signed-in';
import { BEARER_CALLBACK_PATH } from './bearer-comparison/bearer-callback-path';
import { AppConfig } from './config/app-config';
import { SIGNED_OUT_PATH } from './shell/app-paths';
import { arrivingFromSignOut } from './shell/sign-out-arrival';

/**
 * A lazy page. A `protected` one shows its view to a signed-in user, and to anyone else a prompt
 * that says what the view shows and offers sign-in there (SignInPrompt) — no redirect away.
 */
function page(
  path: string,
  title: string,
  loadComponent: Route['loadComponent'],
  { signInFirst = false } = {},
): Route[] {
  const route = { path, title: `DPoP Lab — ${title}`, loadComponent };
  if (!signInFirst) return [route];
  const prompt = () => import('./sign-in-prompt/sign-in-prompt').then((m) => m.SignInPrompt);
  return [
    { ...route, canMatch: [signedIn] },
    { ...route, loadComponent: prompt },
  ];
}

/**
 * Where the app lands after a sign-out it started (post_logout_redirect_uri, "/" by default):
 * on to the page that says what the sign-out did, once.
 */
const toSignOutReport = () =>
  arrivingFromSignOut() ? inject(Router).parseUrl(SIGNED_OUT_PATH) : true;

const protectedView = { signInFirst: true };

/** The routes; the sign-in callback lives at the configured `redirectPath`. */
export function appRoutes(config: Pick<AppConfig, 'redirectPath'>): Routes {
  return [
    {
      ...page('', 'Home', () => import('./home/home').then((m) => m.Home))[0],
      pathMatch: 'full',
      canActivate: [toSignOutReport],
    },
    ...page(
      'profile',
      'Profile',
      () => import('./profile/profile').then((m) => m.Profile),
      protectedView,
    ),
    ...page('users', 'Users', () => import('./users/users').then((m) => m.Users), protectedView),
    ...page(
      'inspector',
      'Inspector',
      () => import('./inspector/inspector').then((m) => m.Inspector),
      protectedView,
    ),
    ...page(
      'attacks',
      'Attack lab',
      () => import('./attacks/attack-lab').then((m) => m.AttackLab),
      protectedView,
    ),
    ...page(
      'check',
      'Check this API',
      () => import('./check-api/check-api').then((m) => m.CheckApi),
      protectedView,
    ),
    ...page(config.redirectPath.replace(/^\/+|\/+$/g, ''), 'Signing in', () =>
      import('./login-callback/login-callback').then((m) => m.LoginCallback),
    ),
    ...page(BEARER_CALLBACK_PATH, 'Plain bearer token', () =>
      import('./bearer-comparison/bearer-callback').then((m) => m.BearerCallback),
    ),
    ...page(SIGNED_OUT_PATH.slice(1), 'Signed out', () =>
      import('./signed-out/signed-out').then((m) => m.SignedOut),
    ),
    {
      ...page('**', 'Page not found', () =>
        import('./not-found/not-found').then((m) => m.NotFound),
      )[0],
      canActivate: [toSignOutReport],
    },
  ];
}
