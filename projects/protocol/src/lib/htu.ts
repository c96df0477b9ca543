import { DpopProtocolError } from './protocol-error.ts';

/**
 * The `htu` claim for a request URL (RFC 9449 §4.2): scheme, host, non-default port and path,
 * without query and fragment. `URL` lower-cases scheme and host and drops a default port: the
 * normalisation a server applies before it compares (§4.3, RFC 3986 §6.2.2-3). A relative URL
 * needs `base` (in a browser, `document.baseURI`).
 */
export function htuOf(url: string | URL, base?: string): string {
  const parsed = parseRequestUrl(url, base);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * The origin of a request URL, or null when it cannot be parsed. Nonces and clock offsets are kept
 * per origin: each server issues its own nonces (§8, §9) and judges `iat` by its own clock.
 */
export function originOf(url: string | URL, base?: string): string | null {
  try {
    return new URL(url, base).origin;
  } catch {
    return null;
  }
}

function parseRequestUrl(url: string | URL, base: string | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    throw new DpopProtocolError(
      'invalid_url',
      `"${String(url)}" is not an absolute URL: give the full request URL, ` +
        'e.g. https://api.example.com/api/users.',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DpopProtocolError('invalid_url', `"${String(url)}" is not an http(s) URL.`);
  }
  return parsed;
}
