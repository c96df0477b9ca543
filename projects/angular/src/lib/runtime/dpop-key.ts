import { proofKeyOf, type ProofKey } from '@dpop-lab/protocol';

/** The key proofs are signed with: a `ProofKey`, and whether its private half could be exported. */
export interface DpopKey extends ProofKey {
  /** Always false for a key this core made: script can sign with it, never read it. */
  readonly extractable: boolean;
}

import { DpopError } from '../dpop-error';
import { algorithmOfKey, signParamsOf } from './dpop-algorithms';

/** Whether a stored pair is one this code can sign proofs with. */
export function isUsable(pair: CryptoKeyPair | undefined): pair is CryptoKeyPair {
  return (
    pair?.privateKey instanceof CryptoKey &&
    pair.publicKey instanceof CryptoKey &&
    algorithmOfKey(pair.privateKey) !== null
  );
}

/** The `DpopKey` of a usable pair: its public JWK and RFC 7638 thumbprint, and signing. */
export async function describeKey(pair: CryptoKeyPair): Promise<DpopKey> {
  const key = await proofKeyOf(pair, algorithmOfKey(pair.privateKey)!);
  return { ...key, extractable: pair.privateKey.extractable };
}

const PROBE = new TextEncoder().encode('DPoP key probe');

/**
 * Signs once with the private key and verifies with the public key, so a key that came out of
 * storage broken fails here, when it is read, rather than in the first proof.
 */
export async function checkKeySigns(
  pair: CryptoKeyPair,
  key: DpopKey,
  where: string,
): Promise<DpopKey> {
  const params = signParamsOf(algorithmOfKey(pair.privateKey)!);
  let verified: boolean;
  let cause: unknown;
  try {
    const signature = await crypto.subtle.sign(params, pair.privateKey, PROBE);
    verified = await crypto.subtle.verify(params, pair.publicKey, signature, PROBE);
  } catch (error) {
    verified = false;
    cause = error;
  }
  if (!verified) {
    const reason = cause instanceof Error ? cause.name : (cause ?? 'the signature did not verify');
    throw new DpopError(
      'key_storage_unusable',
      `The DPoP key ${where} cannot sign (${String(reason)}): ` +
        'this browser does not keep CryptoKeys intact in storage. Use a current browser outside private mode.',
      { cause },
    );
  }
  return key;
}
