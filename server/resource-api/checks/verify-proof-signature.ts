/**
 * The proof's signature verifies with the public key in its own header
 * (RFC 9449 §4.3 item 6). jose's EmbeddedJWK imports the header `jwk` (refusing a private one
 * again) and compactVerify checks the signature against the allow-listed algorithms.
 *
 * This is the first asymmetric operation on the request, so it runs after the cheap checks.
 */
import { compactVerify, EmbeddedJWK, errors } from 'jose';

import { PROOF_ALGORITHMS } from '../algorithms.ts';
import { invalidProof } from '../errors.ts';

export async function verifyProofSignature(proof: string): Promise<void> {
  try {
    await compactVerify(proof, EmbeddedJWK, { algorithms: [...PROOF_ALGORITHMS] });
  } catch (cause) {
    if (cause instanceof errors.JWSSignatureVerificationFailed) {
      throw invalidProof(
        'The DPoP proof signature does not verify with the jwk in its header: sign the proof with the private key of that jwk.',
      );
    }
    const reason = cause instanceof errors.JOSEError ? cause.message : 'unreadable key';
    throw invalidProof(
      `The DPoP proof could not be verified (${reason}): send a proof signed with the key in its jwk header.`,
    );
  }
}
