/**
 * The headers the production build is served with (`npm run serve:prod`, the e2e run).
 *
 * A strict Content Security Policy: scripts only from this origin (no inline script, no eval —
 * the build emits none, with `inlineCritical` off in angular.json), styles from this origin plus
 * the `<style>` elements Angular adds at run time, which carry a per-response nonce (Angular reads
 * it from `<app-root ngCspNonce="…">`), and connections only to this origin and the configured
 * authorization server and API. `ng serve` sends the same policy with fixed defaults, see the
 * `serve` options in angular.json.
 */
import type { WorldConfig } from '../config.ts';

/** The value of `ngCspNonce` in src/index.html, replaced by a fresh nonce in every response. */
export const CSP_NONCE_PLACEHOLDER = 'DPOP_LAB_CSP_NONCE';

/** The origins the app may call: itself, the authorization server, the API. */
export function connectSources(config: WorldConfig): string[] {
  const origins = [new URL(config.issuer).origin, new URL(config.apiPublicUrl).origin];
  return ["'self'", ...new Set(origins)];
}

export function contentSecurityPolicy(config: WorldConfig, styleNonce?: string): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'", ...(styleNonce ? [`'nonce-${styleNonce}'`] : [])],
    ['img-src', "'self'"],
    ['font-src', "'self'"],
    ['connect-src', ...connectSources(config)],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((directive) => directive.join(' ')).join('; ');
}

/** Headers every response of the served app carries; pass the nonce for an HTML page. */
export function securityHeaders(
  config: WorldConfig,
  options: { styleNonce?: string } = {},
): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(config, options.styleNonce),
    'X-Content-Type-Options': 'nosniff',
    // The callback URL carries the authorization code: never send it on as a Referer.
    'Referrer-Policy': 'no-referrer',
  };
}
