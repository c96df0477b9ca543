/**
 * The proof's signature verifies with the public key in its own header
 * (RFC 9449 §4.3 item 6). The key comes from the cache of imported proof keys (by thumbprint, so
 * a session's key is imported once), and jose's compactVerify checks the signature with the
 * header's allow-listed algorithm only.
 *
 * This is the first asymmetric operation on the request, so it runs after the cheap checks;
 * checkProofKeyBounds has bounded what it can cost.
 */
import { compactVerify, errors, type JWK } from 'jose';

import type { ProofAlgorithm } from '../algorithms.ts';
import { invalidProof } from '../errors.ts';
import type { ProofKeyCache } from '../proof-key-cache.ts';

export interface ProofKey {
  jwk: JWK;
  alg: ProofAlgorithm;
  thumbprint: string;
}

export async function verifyProofSignature(
  proof: string,
  { jwk, alg, thumbprint }: ProofKey,
  keys: ProofKeyCache,
): Promise<void> {
  try {
    await compactVerify(proof, await keys.keyFor(jwk, alg, thumbprint), { algorithms: [alg] });
  } catch (cause) {
    if (cause instanceof errors.JWSSignatureVerificationFailed) {
      throw invalidProof(
        'The DPoP proof signature does not verify with the jwk in its header: sign the proof with the private key of that jwk.',
      );
    }
    const reason =
      cause instanceof errors.JOSEError || cause instanceof TypeError
        ? cause.message
        : 'unreadable key';
    throw invalidProof(
      `The DPoP proof could not be verified (${reason}): send a proof signed with the key in its jwk header.`,
    );
  }
}
