/**
 * Check 10 — `ath` is base64url(SHA-256(access token)) of the token sent with this request
 * (RFC 9449 §4.3 check 12, §7). It binds the proof to one token, so a proof made for one token
 * cannot be used with another (e.g. a stolen token of higher privilege).
 */
import { createHash } from 'node:crypto';

import { invalidProof } from '../errors.ts';

export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

export function checkAccessTokenHash(ath: string, accessToken: string): void {
  if (ath !== accessTokenHash(accessToken)) {
    throw invalidProof(
      'The DPoP proof ath does not match the access token sent: set ath to base64url(SHA-256(access token)) of this token (RFC 9449 §4.2).',
    );
  }
}
