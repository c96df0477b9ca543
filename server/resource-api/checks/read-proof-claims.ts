/**
 * The proof payload has the claims RFC 9449 §4.2 requires (§4.3 item 3), with the right types:
 * `jti` (string), `htm` (string), `htu` (string), `iat` (NumericDate), and `ath` (string),
 * which §7 makes mandatory when a proof goes with an access token; `nonce`, when present, is a
 * string (§8).
 *
 * The payload is read before the signature is verified (verifyProofSignature) so that cheap
 * refusals come first; nothing here is trusted until that check and the rest of the pipeline have
 * passed.
 */
import { decodeProofPart } from '../decode-proof-part.ts';
import { invalidProof, typeName } from '../errors.ts';

export interface DpopProofClaims {
  jti: string;
  htm: string;
  htu: string;
  iat: number;
  ath: string;
  nonce?: string;
}

/** Long enough for any reasonable identifier; a cap keeps hostile proofs from bloating logs. */
const MAX_JTI_LENGTH = 256;

function requireString(claims: Record<string, unknown>, name: string, meaning: string): string {
  const value = claims[name];
  if (typeof value !== 'string' || value === '') {
    const found = value === undefined ? 'missing' : value === '' ? 'empty' : typeName(value);
    throw invalidProof(
      `The DPoP proof claim ${name} is ${found}: set it to ${meaning} (RFC 9449 §4.2).`,
    );
  }
  return value;
}

export function readProofClaims(proof: string): DpopProofClaims {
  const claims = decodeProofPart(
    proof.slice(proof.indexOf('.') + 1, proof.lastIndexOf('.')),
    'payload',
  );

  const jti = requireString(claims, 'jti', 'a fresh random identifier for every proof');
  if (jti.length > MAX_JTI_LENGTH) {
    throw invalidProof(
      `The DPoP proof jti is ${jti.length} characters: use a random identifier of at most ${MAX_JTI_LENGTH}.`,
    );
  }
  const htm = requireString(claims, 'htm', 'the HTTP method of the request');
  const htu = requireString(claims, 'htu', 'the URL of the request without query and fragment');

  const iat = claims['iat'];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    const found = typeName(iat);
    throw invalidProof(
      `The DPoP proof claim iat is ${found}: set it to the current time in seconds since the epoch (RFC 9449 §4.2).`,
    );
  }

  // Optional in a proof on its own, but RFC 9449 §7 requires it on a request with an access token.
  const ath = requireString(claims, 'ath', 'base64url(SHA-256(access token))');

  const nonce = claims['nonce'];
  if (nonce !== undefined && (typeof nonce !== 'string' || nonce === '')) {
    throw invalidProof(
      `The DPoP proof claim nonce is ${typeName(nonce)}: copy the DPoP-Nonce response header value as a string (RFC 9449 §8).`,
    );
  }

  return nonce === undefined ? { jti, htm, htu, iat, ath } : { jti, htm, htu, iat, ath, nonce };
}
