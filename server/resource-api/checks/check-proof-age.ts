/**
 * The proof was created recently: `iat` is at most 300 s in the past and at most 15 s in the
 * future of the server clock (RFC 9449 §4.3 item 11, §11.1: "within an acceptable window").
 *
 * Why the window is lopsided: a proof from the past is what every client sends (its request took
 * a moment), and 300 s covers slow networks and devices whose clock lags. A proof from the future
 * is only ever a fast device clock, and each second of it is a second longer that its replay entry
 * must be kept (recordProofUse) and that a proof signed in advance stays usable: 15 s covers the
 * ±10 s that FAPI 2.0 conformance tests send, with room to spare, where the old symmetric 300 s
 * let one caller keep ~600 s worth of entries (issue 12). A client whose clock is further ahead
 * learns the server's time from the `Date` header (§11.1) and corrects its `iat`.
 *
 * With nonces on, the pipeline checks the nonce first: a proof without a valid nonce has already
 * been answered `use_dpop_nonce` with a fresh nonce, as §11.1 suggests for a client whose `iat`
 * is off. So this check only sees proofs whose nonce is valid, and there another nonce would not
 * help: the client's clock (or its proof cache) is wrong, so the answer is invalid_dpop_proof
 * saying by how much.
 */
import { invalidProof } from '../errors.ts';

export interface ProofWindow {
  /** How old a proof may be, in seconds (default 300). */
  pastSeconds: number;
  /** How far ahead of the server clock its `iat` may be, in seconds (default 15). */
  futureSeconds: number;
}

export const DEFAULT_PROOF_WINDOW: ProofWindow = { pastSeconds: 300, futureSeconds: 15 };

export function checkProofAge(
  iat: number,
  nowMs: number,
  window: ProofWindow = DEFAULT_PROOF_WINDOW,
): void {
  const exactOffset = iat - nowMs / 1000;
  if (exactOffset < -window.pastSeconds || exactOffset > window.futureSeconds) {
    const offset = Math.round(exactOffset);
    const where = offset < 0 ? `${-offset} s in the past` : `${offset} s in the future`;
    throw invalidProof(
      `The DPoP proof iat is ${where} of the server clock (allowed: up to ${window.pastSeconds} s ` +
        `old, up to ${window.futureSeconds} s ahead): create a fresh proof for every request and ` +
        `check the device clock (this response's Date header has the server's time).`,
    );
  }
}
