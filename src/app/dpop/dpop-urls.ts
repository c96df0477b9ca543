/**
 * Request URLs as DPoP compares them. Relative URLs resolve against `document.baseURI` — the
 * base `HttpClient` uses — so a proof names the URL the browser actually calls.
 */

/** The parsed request URL, or null when it cannot be parsed. */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url, defaultBase());
  } catch {
    return null;
  }
}

/**
 * The `htu` claim for a request URL (RFC 9449 §4.2): scheme, host, non-default port and path,
 * without query and fragment. `URL` lower-cases scheme and host and drops a default port, which
 * is the normalisation the server applies when it compares (RFC 9449 §4.3, RFC 3986 §6.2.2-3).
 */
export function htuOf(url: string, base = defaultBase()): string {
  const parsed = new URL(url, base);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * The origin of a URL, or null. Nonces, clock offsets and accepted algorithms are kept per
 * origin: each server issues its own nonces (RFC 9449 §8, §9) and judges `iat` by its own clock.
 */
export function originOf(url: string): string | null {
  return parseUrl(url)?.origin ?? null;
}

/** `undefined` outside a browser: then only absolute URLs work. */
function defaultBase(): string | undefined {
  return typeof document === 'undefined' ? undefined : document.baseURI;
}
