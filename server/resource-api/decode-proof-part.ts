/**
 * One part of a DPoP proof, decoded (not verified) for the checks that read it
 * (checks/read-proof-header.ts, checks/read-proof-claims.ts): base64url (RFC 7515 §2) then JSON.
 * A part that is not a base64url-encoded JSON object is refused as invalid_dpop_proof, naming the
 * part.
 *
 * Node's own base64url decoder and JSON.parse, not jose's decodeJwt: this runs on every request,
 * the proof's syntax (three base64url parts) has been checked already (readProofSegments), and
 * jose's decoders split and check the whole JWS again for each part.
 */
import { invalidProof } from './errors.ts';

export function decodeProofPart(
  segment: string,
  part: 'header' | 'payload',
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidProof(
      `The DPoP proof ${part} is not a base64url-encoded JSON object: build the proof with a JOSE library.`,
    );
  }
  return value as Record<string, unknown>;
}
