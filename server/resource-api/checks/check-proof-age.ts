/**
 * The proof was created recently: `iat` is within ±window of the server clock
 * (RFC 9449 §4.3 item 11, §11.1). The window (default 300 s) bounds how long a captured proof
 * stays usable and how long its jti must be remembered (recordProofUse).
 *
 * With nonces on, the pipeline checks the nonce first: a proof without a valid nonce has already
 * been answered `use_dpop_nonce` with a fresh nonce, as §11.1 suggests for a client whose `iat`
 * is off. So this check only sees proofs whose nonce is valid, and there another nonce would not
 * help: the client's clock (or its proof cache) is wrong, so the answer is invalid_dpop_proof
 * saying by how much.
 */
import { invalidProof } from '../errors.ts';

export const DEFAULT_PROOF_WINDOW_SECONDS = 300;

export function checkProofAge(
  iat: number,
  nowMs: number,
  windowSeconds: number = DEFAULT_PROOF_WINDOW_SECONDS,
): void {
  const exactOffset = iat - nowMs / 1000;
  if (Math.abs(exactOffset) > windowSeconds) {
    const offset = Math.round(exactOffset);
    const where = offset < 0 ? `${-offset} s in the past` : `${offset} s in the future`;
    throw invalidProof(
      `The DPoP proof iat is ${where} of the server clock (allowed ±${windowSeconds} s): create a fresh proof for every request and check the device clock.`,
    );
  }
}
