/**
 * The `htu` claim for a request URL (RFC 9449 §4.2): scheme, host, non-default port and path,
 * without query and fragment. `URL` lower-cases scheme and host and drops a default port, which
 * is the normalisation the server applies when it compares (RFC 9449 §4.3, RFC 3986 §6.2.2-3).
 *
 * Relative URLs resolve against `base`, by default `document.baseURI` — the same base
 * `HttpClient` uses — so the proof names the URL the browser actually calls.
 */
export function htuOf(url: string, base?: string): string {
  const parsed = new URL(url, base ?? defaultBase());
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** The base for relative request URLs; `undefined` outside a browser (then only absolute URLs work). */
export function defaultBase(): string | undefined {
  return typeof document === 'undefined' ? undefined : document.baseURI;
}
