/**
 * A proof longer than the limit is refused before any parsing.
 *
 * A proof with an EC or OKP key is about 600 bytes and one with a 4096-bit RSA key about 1.5 KiB;
 * 8 KiB leaves room for all of them while JSON parsing and base64 decoding never see megabytes.
 * 400: an oversized field is a malformed request (RFC 9110 §15.5.1), not a credential to retry.
 * (Header blocks above the server's maxHeaderSize never get here: Node answers 431 itself.)
 */
import { invalidProof } from '../errors.ts';

export const MAX_PROOF_LENGTH = 8 * 1024;

export function checkProofSize(proof: string, maxLength: number = MAX_PROOF_LENGTH): void {
  if (proof.length > maxLength) {
    throw invalidProof(
      `The DPoP proof is ${proof.length} bytes; this API accepts at most ${maxLength}: ` +
        'send one compact proof with only the public key in its header.',
      400,
    );
  }
}
