/**
 * URI normalisation for the `htu` comparison (RFC 9449 §4.3 check 9) and for routing.
 *
 * Both sides of the comparison go through the same function, which applies the RFC 3986 §6.2.2
 * syntax-based normalisations: scheme and host in lower case, the default port removed, dot
 * segments removed (all done by the WHATWG URL parser), and percent-encoding normalised
 * (hex digits upper case, unreserved characters decoded) which the URL parser does not do.
 */

const PERCENT_ENCODED = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** RFC 3986 §6.2.2.1/§6.2.2.2: `%7e` → `~`, `%2f` → `%2F`. */
export function normalizePercentEncoding(path: string): string {
  return path.replace(PERCENT_ENCODED, (_match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The normal form of an absolute http(s) URI without query and fragment, or `undefined` when the
 * value is not such a URI (relative, another scheme, or with user info, which a target URI
 * never has: RFC 9110 §4.2.4).
 */
export function normalizeHttpUri(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return `${url.protocol}//${url.host}${normalizePercentEncoding(url.pathname)}`;
}

/**
 * The normalised path of a request target (`req.url`), without query and fragment. An
 * absolute-form target (`GET http://other/x`) contributes its path only: the host a client
 * names is never trusted, the API's public URL comes from configuration.
 */
export function requestPath(target: string | undefined): string {
  const raw = (target ?? '/').split(/[?#]/, 1)[0] ?? '/';
  let path = raw;
  if (!raw.startsWith('/')) {
    try {
      path = new URL(raw).pathname;
    } catch {
      path = '/';
    }
  }
  // Prefixing a fixed origin keeps `//host/x` a path and lets the parser remove dot segments.
  return normalizePercentEncoding(new URL(`http://path.invalid${path}`).pathname);
}

/** The `htu` a proof for this request must carry: the configured public URL plus the request path. */
export function expectedHtu(apiPublicUrl: string, path: string): string {
  const htu = normalizeHttpUri(`${apiPublicUrl.replace(/\/+$/, '')}${path}`);
  if (htu === undefined) {
    throw new Error(`API_PUBLIC_URL=${apiPublicUrl} is not an absolute http(s) URL.`);
  }
  return htu;
}
