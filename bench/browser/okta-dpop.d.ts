/**
 * okta-auth-js's own DPoP module (esm/browser/oidc/dpop.js), which its package `exports` does not
 * expose; the page bundle maps `okta-dpop` to that file (see ../lib/page-bundle.ts). Only the two
 * functions the proof benchmark calls are declared.
 */
declare module 'okta-dpop' {
  export interface OktaDpopProofParams {
    keyPair: CryptoKeyPair;
    url: string;
    method: string;
    nonce?: string;
    accessToken?: string;
  }
  /** RSASSA-PKCS1-v1_5 2048-bit, SHA-256, private key non-extractable. */
  export function generateKeyPair(): Promise<CryptoKeyPair>;
  /** Exports the public key as a JWK on every call, then signs an RS256 proof. */
  export function generateDPoPProof(params: OktaDpopProofParams): Promise<string>;
}
