/**
 * A compact JWS with an empty signature: `base64url(header).base64url(payload).` — the shape of
 * an `alg: none` JWS (RFC 7515 Appendix A.5), which a JOSE library rightly refuses to make. Only
 * tests of a verifier's refusals want one.
 */
import { base64url } from 'jose';

export function unsignedJws(header: unknown, payload: unknown): string {
  return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;
}
