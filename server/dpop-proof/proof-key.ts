/**
 * The key pair a client signs DPoP proofs with (RFC 9449 §4.2), with what a proof and a token
 * request need from it: the public key as the proof header's `jwk`, and its RFC 7638 thumbprint,
 * which is `dpop_jkt` on an authorization request (§10) and `cnf.jkt` in tokens bound to it (§6.1).
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface ProofKey {
  privateKey: CryptoKey;
  /** The public key only: it goes into every proof header. */
  publicJwk: JWK;
  /** The JWS `alg` it signs with, e.g. `ES256`. */
  algorithm: string;
  /** RFC 7638 SHA-256 thumbprint of `publicJwk`. */
  thumbprint: string;
}

/** Describes a key pair you already hold, e.g. one loaded from a file. */
export async function proofKeyOf(
  privateKey: CryptoKey,
  publicJwk: JWK,
  algorithm: string,
): Promise<ProofKey> {
  return { privateKey, publicJwk, algorithm, thumbprint: await calculateJwkThumbprint(publicJwk) };
}

/**
 * A fresh key pair. The private key is not extractable unless asked for: only a tool that keeps
 * its key in a file, or a test that puts the private key where it must never be, needs that.
 */
export async function createProofKey(
  algorithm = 'ES256',
  { extractable = false }: { extractable?: boolean } = {},
): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable });
  return proofKeyOf(privateKey, await exportJWK(publicKey), algorithm);
}
