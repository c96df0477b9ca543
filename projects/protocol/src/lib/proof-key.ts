import {
  calculateJwkThumbprint,
  CompactSign,
  exportJWK,
  generateKeyPair,
  type CompactJWSHeaderParameters,
  type JWK,
} from 'jose';

/**
 * A key pair that signs DPoP proofs (RFC 9449 §4.2). It never hands out its private key: a
 * holder can sign with it, as the browser's non-extractable key lets script sign and never read.
 */
export interface ProofKey {
  /** The JWS `alg` it signs with, e.g. `ES256`: the proof header's `alg`. */
  readonly algorithm: string;
  /** The public key with only its RFC 7638 members: the proof header's `jwk`. */
  readonly publicJwk: JWK;
  /**
   * Its RFC 7638 SHA-256 thumbprint: `dpop_jkt` on an authorization request (§10) and `cnf.jkt`
   * in the tokens bound to it (§6.1).
   */
  readonly thumbprint: string;
  /** Signs a compact JWS with this key, with the protected header exactly as given. */
  signJws(header: CompactJWSHeaderParameters, payload: Record<string, unknown>): Promise<string>;
}

/** The `ProofKey` of a key pair held already: one made by WebCrypto, or loaded from a file. */
export async function proofKeyOf(
  pair: { privateKey: CryptoKey; publicKey: CryptoKey | JWK },
  algorithm: string,
): Promise<ProofKey> {
  const { privateKey, publicKey } = pair;
  const publicJwk = publicMembersOf(
    publicKey instanceof CryptoKey ? await exportJWK(publicKey) : publicKey,
  );
  return {
    algorithm,
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
    signJws: (header, payload) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader(header)
        .sign(privateKey),
  };
}

// RFC 7638 §3.2: the public members of each key type, the only ones a proof header needs. A
// private JWK given in their place (a key file) keeps none of its private members.
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

function publicMembersOf(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) {
    throw new TypeError(
      `A DPoP key must be EC, RSA or OKP, not ${jwk.kty ?? 'a JWK without kty'}.`,
    );
  }
  return Object.fromEntries(members.map((member) => [member, jwk[member as keyof JWK]])) as JWK;
}

/** A fresh key pair whose private key cannot be exported; ES256 unless another JWS `alg` is asked for. */
export async function createProofKey(algorithm = 'ES256'): Promise<ProofKey> {
  return proofKeyOf(await generateKeyPair(algorithm, { extractable: false }), algorithm);
}

/** The RFC 7638 SHA-256 thumbprint of a public JWK (what `cnf.jkt` and `dpop_jkt` carry). */
export function thumbprintOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
