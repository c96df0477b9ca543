import { base64url, SignJWT } from 'jose';

import type { DpopKey } from './dpop-key';

// The jose work of the core — signing proofs (sign-dpop-proof.ts), reading issued tokens
// (token-binding.ts) — in a module of its own, loaded by `jose()` (jose.ts). It imports nothing
// else of the core, so the start-up part of the core stays in one chunk (see dpop-runtime.ts).

export { decodeJwt } from 'jose';

/** The proof JWT for `claims` (htm, htu, ath?, nonce?), with a random `jti` and `iat`. */
export function signProofJwt(
  key: Pick<DpopKey, 'privateKey' | 'publicJwk' | 'algorithm'>,
  claims: Record<string, string>,
  iat: number,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.algorithm, jwk: { ...key.publicJwk } })
    .setJti(crypto.randomUUID())
    .setIssuedAt(iat)
    .sign(key.privateKey);
}

export async function hashToken(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}
