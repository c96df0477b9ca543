/**
 * `ath` is base64url(SHA-256(access token)) of the token sent with this request
 * (RFC 9449 §4.3 item 12, §7). It binds the proof to one token, so a proof made for one token
 * cannot be used with another (e.g. a stolen token of higher privilege). athOf is the same
 * function the proof builder (../../dpop-proof/) uses.
 */
import { athOf } from '../../dpop-proof/ath-of.ts';
import { invalidProof } from '../errors.ts';

export async function checkAccessTokenHash(ath: string, accessToken: string): Promise<void> {
  if (ath !== (await athOf(accessToken))) {
    throw invalidProof(
      'The DPoP proof ath does not match the access token sent: set ath to base64url(SHA-256(access token)) of this token (RFC 9449 §4.2).',
    );
  }
}
