/**
 * The proof key is of the kind its `alg` names, and cheap to verify with: checked on the JWK's
 * text, before the key is imported or any signature is checked (issue 12: a 3072-bit RSA key
 * with a ~3070-bit public exponent made every refused request cost a full modular
 * exponentiation, ~7× a junk proof, and such a proof can be resent forever).
 *
 * - RSA (RS256, PS256): the public exponent is 65537 (`AQAB`), which every key generator uses
 *   (WebCrypto's default, OpenSSL's, the SP 800-56B recommendation); the modulus has 2048 to 4096
 *   bits: RFC 7518 §3.3 and §3.5 require at least 2048, and more than 4096 only costs time.
 * - EC: the curve is the one the algorithm names (RFC 7518 §3.4): P-256 for ES256, P-384 for
 *   ES384. OKP: Ed25519 for EdDSA (RFC 8037 §3.1).
 * - `use`, when present, is `sig`, and `alg`, when present, is the header's (RFC 7517 §4.2, §4.4),
 *   as jose's EmbeddedJWK requires: checked here because verifyProofSignature reuses keys imported
 *   earlier by thumbprint, and the thumbprint leaves these members out.
 */
import type { JWK } from 'jose';

import type { ProofAlgorithm } from '../algorithms.ts';
import { invalidProof, quoteValue } from '../errors.ts';

const RSA_EXPONENT = 'AQAB';
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The key type and curve each accepted algorithm needs. */
const KEY_FOR: Record<ProofAlgorithm, { kty: string; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  PS256: { kty: 'RSA' },
  RS256: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/** Bits of a base64url unsigned integer (RFC 7518 §2: no leading zero octets). */
function bitLength(value: string): number {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length === 0 || bytes[0] === 0) return 0;
  return (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
}

export function checkProofKeyBounds(jwk: JWK, alg: ProofAlgorithm): void {
  const wanted = KEY_FOR[alg];
  if (jwk.kty !== wanted.kty) {
    throw invalidProof(
      `The DPoP proof alg ${alg} needs a ${wanted.kty} key, but its jwk has kty ${quoteValue(jwk.kty ?? 'missing')}: put the key that signed the proof in the header.`,
    );
  }
  if (wanted.crv !== undefined && jwk.crv !== wanted.crv) {
    throw invalidProof(
      `The DPoP proof alg ${alg} needs a key on curve ${wanted.crv}, but its jwk has crv ${quoteValue(jwk.crv ?? 'missing')} (RFC 7518 section 3.4, RFC 8037 section 3.1).`,
    );
  }
  if (wanted.kty === 'RSA') {
    if (jwk.e !== RSA_EXPONENT) {
      throw invalidProof(
        `The DPoP proof jwk has the RSA public exponent ${quoteValue(jwk.e ?? 'missing', 20)}; this API accepts 65537 (AQAB) only, the exponent every key generator uses, because a large exponent makes each check slow: generate a standard RSA key.`,
      );
    }
    const bits = typeof jwk.n === 'string' && BASE64URL.test(jwk.n) ? bitLength(jwk.n) : 0;
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
      throw invalidProof(
        `The DPoP proof jwk has an RSA modulus of ${bits} bits; this API accepts ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits (RFC 7518 section 3.3 requires at least ${RSA_MIN_BITS}; larger keys only cost time): use a 2048-bit key, or ES256.`,
      );
    }
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw invalidProof(
      `The DPoP proof jwk has use ${quoteValue(jwk.use)}: a proof key signs, so use must be 'sig' or absent.`,
    );
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw invalidProof(
      `The DPoP proof jwk says alg ${quoteValue(jwk.alg)} but the proof is signed with ${alg}: make them match, or leave alg out of the jwk.`,
    );
  }
}
