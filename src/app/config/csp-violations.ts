/**
 * The origins this page's Content-Security-Policy refused to connect to (`connect-src`), as the
 * browser reports them: a blocked call fails exactly like one no server answered (status 0,
 * "Failed to fetch"), and only the `securitypolicyviolation` event tells them apart. Kept small,
 * for the first page load; csp-blocked.ts reads it once a call has failed.
 */
export const cspBlockedOrigins = new Set<string>();

/** Starts recording the page's CSP reports: call it before the first request (main.ts). */
export function watchCspViolations(target: Document = document): void {
  // The same function every time: a second call adds no second listener.
  target.addEventListener('securitypolicyviolation', record);
}

/** The origin a `connect-src` violation blocked; `undefined` for any other report. */
export function blockedOrigin(event: SecurityPolicyViolationEvent): string | undefined {
  const url = event.blockedURI;
  return event.effectiveDirective === 'connect-src' && URL.canParse(url)
    ? new URL(url).origin
    : undefined;
}

function record(event: SecurityPolicyViolationEvent): void {
  const origin = blockedOrigin(event);
  if (origin) cspBlockedOrigins.add(origin);
}
