/** PKCE (RFC 7636) and the other random values of an authorization request. */
import { base64url } from 'jose';

/** `byteLength` random bytes from the platform CSPRNG, base64url-encoded (RFC 4648 §5). */
export function randomToken(byteLength = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** The S256 code challenge: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url.encode(new Uint8Array(digest));
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

/**
 * A code verifier of 32 random bytes — 43 characters of `[A-Za-z0-9-_]`, inside RFC 7636 §4.1's
 * 43–128 range and its unreserved character set, with 256 bits of entropy — and its S256 challenge.
 */
export async function createPkce(): Promise<Pkce> {
  const verifier = randomToken(32);
  return { verifier, challenge: await codeChallengeS256(verifier) };
}
