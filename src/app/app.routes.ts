import { Routes } from '@angular/router';
import { authGuard } from './auth/auth-guard';
import { AppConfig } from './config/app-config';

/** The routes; the sign-in callback lives at the configured `redirectPath`. */
export function appRoutes(config: Pick<AppConfig, 'redirectPath'>): Routes {
  return [
    {
      path: '',
      pathMatch: 'full',
      title: 'DPoP Lab — Home',
      loadComponent: () => import('./home/home').then((m) => m.Home),
    },
    {
      path: 'profile',
      title: 'DPoP Lab — Profile',
      canActivate: [authGuard],
      loadComponent: () => import('./profile/profile').then((m) => m.Profile),
    },
    {
      path: 'users',
      title: 'DPoP Lab — Users',
      canActivate: [authGuard],
      loadComponent: () => import('./users/users').then((m) => m.Users),
    },
    {
      path: 'inspector',
      title: 'DPoP Lab — Inspector',
      canActivate: [authGuard],
      loadComponent: () => import('./inspector/inspector').then((m) => m.Inspector),
    },
    {
      path: 'attacks',
      title: 'DPoP Lab — Attack lab',
      canActivate: [authGuard],
      loadComponent: () => import('./attacks/attack-lab').then((m) => m.AttackLab),
    },
    {
      path: config.redirectPath.replace(/^\/+|\/+$/g, ''),
      title: 'DPoP Lab — Signing in',
      loadComponent: () => import('./login-callback/login-callback').then((m) => m.LoginCallback),
    },
    {
      path: '**',
      title: 'DPoP Lab — Page not found',
      loadComponent: () => import('./not-found/not-found').then((m) => m.NotFound),
    },
  ];
}
