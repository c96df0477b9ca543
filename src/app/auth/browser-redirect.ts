import { InjectionToken } from '@angular/core';

/**
 * Sends the browser to another site (the authorization server). A token so tests can see the
 * URL instead of leaving the page; the app uses `location.assign`.
 */
export const BROWSER_REDIRECT = new InjectionToken<(url: string) => void>('BROWSER_REDIRECT', {
  providedIn: 'root',
  factory: () => (url) => location.assign(url),
});
