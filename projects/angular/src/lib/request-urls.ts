/**
 * Request URLs as the interceptor sees them: `HttpClient` resolves a relative URL against
 * `document.baseURI`, so a proof must name the URL the browser actually calls.
 */

/** The request URL made absolute, or null when it cannot be parsed. */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url, defaultBase());
  } catch {
    return null;
  }
}

/** The absolute URL of a request, as the browser sends it (relative URLs resolved). */
export function absoluteUrl(url: string): string {
  return parseUrl(url)?.href ?? url;
}

/** `undefined` outside a browser: then only absolute URLs work. */
function defaultBase(): string | undefined {
  return typeof document === 'undefined' ? undefined : document.baseURI;
}
