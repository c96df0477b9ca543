/** Paths of the app the shell, its messages and the routes share. */

/** The app page that says what a sign-out did (SignedOut). */
export const SIGNED_OUT_PATH = '/signed-out';

/** The path of an app URL (`/users?page=2#top` → `/users`), as views and routes name them. */
export function pathOf(url: string): string {
  return url.split(/[?#]/)[0];
}

/**
 * Where a sign-in started on `url` comes back to: that view, so the user lands where they were
 * going — unless it is a page that only makes sense once (the sign-in callback at
 * `redirectPath`, the sign-out report).
 */
export function returnUrlAfterSignIn(url: string, redirectPath: string): string {
  const path = pathOf(url);
  return path === redirectPath || path === SIGNED_OUT_PATH ? '/' : url;
}
