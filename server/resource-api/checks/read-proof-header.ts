/**
 * The proof is one well-formed compact JWS whose protected header says it is a DPoP proof, signed
 * with an allow-listed asymmetric algorithm, carrying its public key (RFC 9449 §4.2; §4.3 items 2,
 * 4 and 5).
 *
 * Only syntax here: checkProofKeyIsPublic and verifyProofSignature look at the key and the
 * signature. `alg: none` and HS* are refused by name so the client learns why (a MAC or no
 * signature cannot prove possession of a private key). `crit` (and with it the unencoded-payload
 * option `b64`) is refused: RFC 9449 defines no critical extension, and it keeps the bytes we read
 * equal to the bytes that were signed.
 */
import type { JWK } from 'jose';

import { isProofAlgorithm, PROOF_ALGORITHMS, type ProofAlgorithm } from '../algorithms.ts';
import { decodeProofPart } from '../decode-proof-part.ts';
import { invalidProof, quoteValue, typeName } from '../errors.ts';
import { normalizeTyp } from '../token-shapes.ts';

export interface ProofHeader {
  alg: ProofAlgorithm;
  typ: string;
  jwk: JWK;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The three parts of a compact JWS: header, payload, signature (base64url, as sent). */
export type ProofSegments = readonly [header: string, payload: string, signature: string];

/** Three base64url parts separated by dots, the first not empty (the others: checkProofSignedParts). */
export function readProofSegments(proof: string): ProofSegments {
  const segments = proof.split('.');
  if (
    segments.length !== 3 ||
    segments.some((segment) => !BASE64URL.test(segment)) ||
    segments[0] === ''
  ) {
    throw invalidProof(
      'The DPoP proof is not a compact JWS (three base64url parts separated by dots): send one signed JWT in the DPoP header.',
    );
  }
  return segments as unknown as ProofSegments;
}

/** A payload and a signature: after the header's checks, so `alg: none` is refused by name. */
export function checkProofSignedParts([, payload, signature]: ProofSegments): void {
  if (payload === '' || signature === '') {
    throw invalidProof('The DPoP proof has an empty payload or signature: send a signed JWT.');
  }
}

export function readProofHeader(proof: string): ProofHeader {
  const segments = readProofSegments(proof);
  const header = decodeProofPart(segments[0], 'header');

  if (typeof header['typ'] !== 'string' || normalizeTyp(header['typ']) !== 'dpop+jwt') {
    throw invalidProof(
      `The DPoP proof header typ is ${quoteValue(header['typ'] ?? 'missing')}: set typ to 'dpop+jwt' (RFC 9449 §4.2).`,
    );
  }
  const alg = header['alg'];
  if (alg === 'none' || (typeof alg === 'string' && /^HS\d+$/i.test(alg))) {
    throw invalidProof(
      `The DPoP proof uses alg ${quoteValue(alg)}, which proves nothing about a private key: sign it with one of ${PROOF_ALGORITHMS.join(', ')}.`,
    );
  }
  if (!isProofAlgorithm(alg)) {
    throw invalidProof(
      `The DPoP proof alg ${quoteValue(alg ?? 'missing')} is not accepted: use one of ${PROOF_ALGORITHMS.join(', ')}.`,
    );
  }
  if (typeof header['jwk'] !== 'object' || header['jwk'] === null || Array.isArray(header['jwk'])) {
    throw invalidProof(
      `The DPoP proof header jwk is ${typeName(header['jwk'])}: put the public key as a JWK object in the header (RFC 9449 §4.2).`,
    );
  }
  if ('crit' in header || 'b64' in header) {
    throw invalidProof(
      'The DPoP proof header has crit/b64, which DPoP does not use: leave them out.',
    );
  }
  checkProofSignedParts(segments);
  return { alg, typ: header['typ'], jwk: header['jwk'] as JWK };
}
