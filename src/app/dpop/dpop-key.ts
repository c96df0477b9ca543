import { calculateJwkThumbprint, CompactSign, compactVerify, JWK } from 'jose';

import { algorithmOfKey } from './dpop-algorithms';
import { DpopAlgorithm } from './dpop-config';
import { DpopError } from './dpop-error';

/** The DPoP key pair and what every proof needs from it, computed once per key. */
export interface DpopKey {
  /** Non-extractable: script can sign with it, never read it (`exportKey` refuses). */
  privateKey: CryptoKey;
  /** The public key as a JWK with only its RFC 7638 members (EC `crv x y`, RSA `n e`, OKP `crv x`). */
  publicJwk: JsonWebKey;
  /** The JWS algorithm proofs are signed with (the proof header's `alg`). */
  algorithm: DpopAlgorithm;
  /** The RFC 7638 SHA-256 thumbprint: what `cnf.jkt` and `dpop_jkt` carry (RFC 9449 §6, §10). */
  thumbprint: string;
}

// RFC 7638 §3.2: the required members of each key type, the only ones a thumbprint hashes.
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/** Whether a stored pair is one this code can sign proofs with. */
export function isUsable(pair: CryptoKeyPair | undefined): pair is CryptoKeyPair {
  return (
    pair?.privateKey instanceof CryptoKey &&
    pair.publicKey instanceof CryptoKey &&
    algorithmOfKey(pair.privateKey) !== null
  );
}

/** The `DpopKey` of a usable pair. */
export async function describeKey(pair: CryptoKeyPair): Promise<DpopKey> {
  // Public keys are always exportable, even when the pair was generated non-extractable.
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Record<string, unknown>;
  const publicJwk: Record<string, unknown> = {};
  for (const member of THUMBPRINT_MEMBERS[jwk['kty'] as string] ?? []) {
    publicJwk[member] = jwk[member];
  }
  return {
    privateKey: pair.privateKey,
    publicJwk,
    algorithm: algorithmOfKey(pair.privateKey)!,
    thumbprint: await calculateJwkThumbprint(publicJwk as JWK, 'sha256'),
  };
}

const PROBE = new TextEncoder().encode('DPoP key probe');

/**
 * Signs once with the key and verifies the signature with its public JWK, so a key that came out
 * of storage broken fails here, at start-up, rather than in the first proof.
 */
export async function checkKeySigns(key: DpopKey, where: string): Promise<DpopKey> {
  try {
    const jws = await new CompactSign(PROBE)
      .setProtectedHeader({ alg: key.algorithm })
      .sign(key.privateKey);
    await compactVerify(jws, { ...key.publicJwk, alg: key.algorithm } as JWK);
  } catch (cause) {
    throw new DpopError(
      'key_storage_unusable',
      `The DPoP key ${where} cannot sign (${cause instanceof Error ? cause.name : String(cause)}): ` +
        'this browser does not keep CryptoKeys intact in storage. Use a current browser outside private mode.',
      { cause },
    );
  }
  return key;
}
