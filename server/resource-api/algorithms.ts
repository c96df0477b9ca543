/**
 * Signature algorithms this API accepts. Asymmetric only: a DPoP proof proves possession of a
 * private key, so `none` and the HMAC family (HS*) can never prove anything (RFC 9449 §4.3 check 5).
 * The same list is advertised in the `algs` parameter of every DPoP challenge (RFC 9449 §7.1).
 */
export const PROOF_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'] as const;

export type ProofAlgorithm = (typeof PROOF_ALGORITHMS)[number];

export function isProofAlgorithm(alg: unknown): alg is ProofAlgorithm {
  return typeof alg === 'string' && (PROOF_ALGORITHMS as readonly string[]).includes(alg);
}

/** Algorithms accepted on access tokens (RFC 9068 §4: the resource server allow-lists them). */
export const ACCESS_TOKEN_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'] as const;
