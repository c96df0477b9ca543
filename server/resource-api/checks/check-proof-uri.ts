/**
 * `htu` is the URI of this request (RFC 9449 §4.3 item 9).
 *
 * The expected value is the API's configured public URL (API_PUBLIC_URL) plus the request path,
 * never built from the Host header, which the client (or an attacker replaying a proof made for
 * another server) controls. Both sides are compared after RFC 3986 §6.2.2 normalisation, so
 * `HTTP://Host:80/a` and `http://host/a` are the same URI.
 *
 * Query and fragment: the request's own query string is ignored (the expected value is built from
 * the path only), so `GET /api/users?page=2` is fine. A proof whose `htu` itself contains a query
 * or a fragment is refused: RFC 9449 §4.2 defines htu as the target URI "without query and
 * fragment parts", so such a proof was built wrongly, and refusing it tells the client so instead
 * of silently accepting a value that claims to bind a query it does not bind.
 */
import { invalidProof, quoteValue } from '../errors.ts';
import { normalizeHttpUri } from '../http-uri.ts';

export function checkProofUri(htu: string, expected: string): void {
  if (htu.includes('?') || htu.includes('#')) {
    throw invalidProof(
      `The DPoP proof htu ${quoteValue(htu)} has a query or fragment: set htu to the request URL without them (RFC 9449 §4.2).`,
    );
  }
  const normalized = normalizeHttpUri(htu);
  if (normalized === undefined) {
    throw invalidProof(
      `The DPoP proof htu ${quoteValue(htu)} is not an absolute http(s) URL: set it to ${expected}.`,
    );
  }
  if (normalized !== expected) {
    throw invalidProof(
      `The DPoP proof htu ${quoteValue(htu)} does not match this resource: set htu to ${expected}.`,
    );
  }
}
