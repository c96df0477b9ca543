import { base64url } from 'jose';

/**
 * `ath`: base64url(SHA-256(access token)) (RFC 9449 §4.2), which binds a proof to the one token it
 * is sent with (§7.1). The token is ASCII (RFC 6750 §2.1 b64token), so its UTF-8 bytes are its
 * ASCII bytes.
 */
export async function athOf(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}
