/**
 * `ath` is base64url(SHA-256(access token)) of the token sent with this request
 * (RFC 9449 §4.3 item 12, §7). It binds the proof to one token, so a proof made for one token
 * cannot be used with another (e.g. a stolen token of higher privilege).
 */
import { invalidProof } from '../errors.ts';
import { readAccessTokenHash } from './read-access-token-hash.ts';

export function checkAccessTokenHash(ath: string, accessToken: string): void {
  if (ath !== readAccessTokenHash(accessToken)) {
    throw invalidProof(
      'The DPoP proof ath does not match the access token sent: set ath to base64url(SHA-256(access token)) of this token (RFC 9449 §4.2).',
    );
  }
}
