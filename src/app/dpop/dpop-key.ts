import { algorithmOfKey, signParamsOf } from './dpop-algorithms';
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

// RFC 7638 §3.2: the required members of each key type, the only ones a thumbprint hashes, in
// the lexicographic order §3.3 hashes them in.
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

/**
 * The `DpopKey` of a usable pair. Plain WebCrypto (no JOSE library): this runs at start-up to
 * check a stored key, before any proof is signed.
 */
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
    thumbprint: await thumbprintOf(publicJwk),
  };
}

/**
 * The RFC 7638 thumbprint: base64url(SHA-256(the required members as JSON, in lexicographic
 * order, without whitespace)). `publicJwk` holds exactly those members, in that order.
 */
async function thumbprintOf(publicJwk: Record<string, unknown>): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(publicJwk));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', json));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const PROBE = new TextEncoder().encode('DPoP key probe');

/**
 * Signs once with the private key and verifies with the public key, so a key that came out of
 * storage broken fails here, at start-up, rather than in the first proof.
 */
export async function checkKeySigns(
  pair: CryptoKeyPair,
  key: DpopKey,
  where: string,
): Promise<DpopKey> {
  const params = signParamsOf(key.algorithm);
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
