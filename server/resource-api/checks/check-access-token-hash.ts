/**
 * `ath` is base64url(SHA-256(access token)) of the token sent with this request
 * (RFC 9449 §4.3 item 12, §7). It binds the proof to one token, so a proof made for one token
 * cannot be used with another (e.g. a stolen token of higher privilege).
 *
 * The same hash as athOf (../../dpop-proof/ath-of.ts), which builds proofs, but computed with
 * node:crypto: this runs on every request, and WebCrypto's digest costs a thread-pool round trip
 * (about 50 µs of CPU per call here, against 2.5 µs). The tests build `ath` with athOf, so the two
 * are checked against each other.
 */
import { createHash } from 'node:crypto';

import { invalidProof } from '../errors.ts';

export function checkAccessTokenHash(ath: string, accessToken: string): void {
  if (ath !== createHash('sha256').update(accessToken, 'ascii').digest('base64url')) {
    throw invalidProof(
      'The DPoP proof ath does not match the access token sent: set ath to base64url(SHA-256(access token)) of this token (RFC 9449 §4.2).',
    );
  }
}
