/**
 * base64url(SHA-256(access token)): what a proof's `ath` must be (RFC 9449 §4.2), and the key the
 * cache of verified tokens files a token under.
 *
 * The same hash as @dpop-lab/protocol's athOf, which builds proofs, but computed with
 * node:crypto: this runs on every request, and WebCrypto's digest costs a thread-pool round trip
 * (about 50 µs of CPU per call here, against 2.5 µs). The tests build `ath` with athOf, so the two
 * are checked against each other.
 */
import { hash } from 'node:crypto';

export function readAccessTokenHash(accessToken: string): string {
  // One-shot: no Hash object per call. A token is ASCII (token68), so UTF-8 is its bytes.
  return hash('sha256', accessToken, 'base64url');
}
