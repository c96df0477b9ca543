/**
 * The headers the app is served with: by the app server (`npm run serve:prod`, the e2e run) and
 * by `npm start`'s dev server (dev-server.ts). The one place the Content Security Policy is
 * written.
 *
 * Scripts only from this origin (no inline script, no eval — the build emits none, with
 * `inlineCritical` off in angular.json); styles from this origin plus what `styleSource` allows;
 * connections only to this origin and the origins the served config.json names
 * (served-app-config.ts), so the policy follows the servers' ports and URLs.
 */

/** The value of `ngCspNonce` in src/index.html, replaced by a fresh nonce in every response. */
export const CSP_NONCE_PLACEHOLDER = 'DPOP_LAB_CSP_NONCE';

/**
 * The app server: a fresh nonce per page for the `<style>` elements Angular adds at run time
 * (Angular reads it from `<app-root ngCspNonce="…">`).
 */
export function styleNonce(nonce: string): string {
  return `'nonce-${nonce}'`;
}

/**
 * `ng serve`: its hot reload adds `<style>` elements that carry no nonce. Development only, and
 * never beside a nonce: since CSP Level 2 a browser ignores `'unsafe-inline'` next to one.
 */
export const INLINE_STYLES = "'unsafe-inline'";

/**
 * The policy for a page that calls `origins` (besides its own); `styleSource` adds to
 * `style-src`: `styleNonce(…)` or `INLINE_STYLES`.
 */
export function contentSecurityPolicy(origins: readonly string[], styleSource?: string): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'", ...(styleSource ? [styleSource] : [])],
    ['img-src', "'self'"],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...origins],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((directive) => directive.join(' ')).join('; ');
}

/** Headers every response of the served app carries. */
export function securityHeaders(
  origins: readonly string[],
  styleSource?: string,
): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(origins, styleSource),
    'X-Content-Type-Options': 'nosniff',
    // The callback URL carries the authorization code: never send it on as a Referer.
    'Referrer-Policy': 'no-referrer',
  };
}
