/**
 * One part of a DPoP proof, decoded (not verified) by jose for the checks that read it
 * (checks/read-proof-header.ts, checks/read-proof-claims.ts); a part that is not a base64url-encoded
 * JSON object is refused as invalid_dpop_proof, naming the part.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

import { invalidProof } from './errors.ts';

const DECODERS = { header: decodeProtectedHeader, payload: decodeJwt };

export function decodeProofPart(
  proof: string,
  part: keyof typeof DECODERS,
): Record<string, unknown> {
  try {
    return DECODERS[part](proof);
  } catch {
    throw invalidProof(
      `The DPoP proof ${part} is not a base64url-encoded JSON object: build the proof with a JOSE library.`,
    );
  }
}
