import { base64url, SignJWT } from 'jose';

/** A key the attack lab signs proofs with: a throwaway pair, or this browser's own key. */
export interface ProofKey {
  privateKey: CryptoKey;
  publicJwk: JsonWebKey;
  algorithm: string;
}

export interface AttackProof {
  htm: string;
  /** Used as is: the attack lab passes the exact URL (no query, no fragment). */
  htu: string;
  accessToken?: string;
  nonce?: string;
  /** Seconds since the epoch; default now. */
  iat?: number;
}

/** A fresh ES256 key pair, as a thief would make one: not the browser's, never stored. */
export async function createThrowawayKey(): Promise<ProofKey> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: { kty, crv, x, y }, algorithm: 'ES256' };
}

/**
 * A DPoP proof (RFC 9449 §4.2) made outside the interceptor, so an attack can choose its key and
 * its `iat`. Everything else is what a correct proof holds.
 */
export async function signProof(key: ProofKey, proof: AttackProof): Promise<string> {
  const claims: Record<string, string> = { htm: proof.htm, htu: proof.htu };
  if (proof.accessToken !== undefined) {
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(proof.accessToken),
    );
    claims['ath'] = base64url.encode(new Uint8Array(digest));
  }
  if (proof.nonce !== undefined) claims['nonce'] = proof.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.algorithm, jwk: { ...key.publicJwk } })
    .setJti(crypto.randomUUID())
    .setIssuedAt(proof.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey);
}
