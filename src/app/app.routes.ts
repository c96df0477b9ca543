import { Route, Routes } from '@angular/router';

import { authGuard } from './auth/auth-guard';
import { BEARER_CALLBACK_PATH } from './bearer-comparison/bearer-callback-path';
import { AppConfig } from './config/app-config';

/** A lazy page; `guarded` pages start a sign-in for a signed-out visitor. */
function page(
  path: string,
  title: string,
  loadComponent: Route['loadComponent'],
  guarded = true,
): Route {
  return {
    path,
    title: `DPoP Lab — ${title}`,
    loadComponent,
    ...(guarded ? { canActivate: [authGuard] } : {}),
  };
}

/** The routes; the sign-in callback lives at the configured `redirectPath`. */
export function appRoutes(config: Pick<AppConfig, 'redirectPath'>): Routes {
  return [
    {
      ...page('', 'Home', () => import('./home/home').then((m) => m.Home), false),
      pathMatch: 'full',
    },
    page('profile', 'Profile', () => import('./profile/profile').then((m) => m.Profile)),
    page('users', 'Users', () => import('./users/users').then((m) => m.Users)),
    page('inspector', 'Inspector', () => import('./inspector/inspector').then((m) => m.Inspector)),
    page('attacks', 'Attack lab', () => import('./attacks/attack-lab').then((m) => m.AttackLab)),
    page('check', 'Check this API', () => import('./check-api/check-api').then((m) => m.CheckApi)),
    page(
      config.redirectPath.replace(/^\/+|\/+$/g, ''),
      'Signing in',
      () => import('./login-callback/login-callback').then((m) => m.LoginCallback),
      false,
    ),
    page(
      BEARER_CALLBACK_PATH,
      'Plain bearer token',
      () => import('./bearer-comparison/bearer-callback').then((m) => m.BearerCallback),
      false,
    ),
    page(
      '**',
      'Page not found',
      () => import('./not-found/not-found').then((m) => m.NotFound),
      false,
    ),
  ];
}
