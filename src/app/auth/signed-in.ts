import { inject } from '@angular/core';
import { CanMatchFn } from '@angular/router';
import { Auth } from './auth';

/**
 * Matches a view's route for a signed-in user only; for anyone else the next route with the same
 * path matches instead — the view's sign-in prompt, so a signed-out visitor stays in the app and
 * is told what the view shows. Waits for a sign-in callback still under way first.
 */
export const signedIn: CanMatchFn = async () => {
  const auth = inject(Auth);
  await auth.callbackSettled();
  return auth.isSignedIn();
};
