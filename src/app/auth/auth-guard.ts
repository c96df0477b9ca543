import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Auth } from './auth';

/**
 * Lets signed-in users through. A signed-out user is sent to sign in, and back to the page
 * they asked for afterwards; if sign-in cannot start (server down), they land on the home
 * page, where the shell shows why.
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(Auth);
  const router = inject(Router);
  await auth.callbackSettled();
  if (auth.isSignedIn()) return true;
  await auth.signIn(state.url);
  return auth.status() === 'error' ? router.createUrlTree(['/']) : false;
};
