/**
 * Whether a call that failed without an answer was blocked by this page's Content-Security-Policy
 * (the reports csp-violations.ts records), and what to say then. Loaded once a call has failed.
 *
 * The report comes after the failure: CSP Level 3 ("Report a violation") fires it from a queued
 * task, and Chromium runs that task after the call's promise has rejected. So `blockedByCsp`
 * waits a moment for it before it answers no.
 */
import { blockedOrigin, cspBlockedOrigins } from './csp-violations';

/** The origin of `url` when the page's CSP has already blocked a call there. */
export function knownBlockedByCsp(url: string | null): string | undefined {
  const origin = url && URL.canParse(url) ? new URL(url).origin : undefined;
  return origin && cspBlockedOrigins.has(origin) ? origin : undefined;
}

/**
 * For a call to `url` that just failed without an answer: the origin the page's CSP blocked, or
 * `undefined` when no report came within `patienceMs` (then no server answered).
 */
export function blockedByCsp(
  url: string,
  patienceMs = 100,
  target: Document = document,
): Promise<string | undefined> {
  const known = knownBlockedByCsp(url);
  if (known || !URL.canParse(url)) return Promise.resolve(known);
  const origin = new URL(url).origin;
  return new Promise((resolve) => {
    const done = (result?: string) => {
      target.removeEventListener('securitypolicyviolation', onReport);
      clearTimeout(timer);
      resolve(result);
    };
    const onReport = (event: SecurityPolicyViolationEvent) => {
      if (blockedOrigin(event) === origin) done(origin);
    };
    const timer = setTimeout(done, patienceMs);
    target.addEventListener('securitypolicyviolation', onReport);
  });
}

/** What to say about a call to `what` the page's CSP blocked, and what to change. */
export function cspBlockedMessage(what: string, origin: string): string {
  return (
    `${what} is not allowed by this page's Content-Security-Policy: the browser blocked the ` +
    `call. Add ${origin} to its connect-src (npm start and npm run serve:prod allow the ` +
    'origins config.json names).'
  );
}
