/**
 * The proof's signature verifies with the public key in its own header
 * (RFC 9449 §4.3 item 6), with the header's allow-listed algorithm only. The key is imported once
 * per header (`proofKey.key`, kept with the header in ../proof-header-cache.ts).
 *
 * node:crypto's verify (with a callback: it runs in libuv's thread pool, off the event loop), not
 * jose's compactVerify: the proof has been parsed and its header checked already (readProofHeader,
 * checkProofKeyBounds), and WebCrypto adds its own cost around the same OpenSSL call: on this
 * machine about 245 µs of CPU per ES256 proof against 105-130 µs. This runs on every request; jose
 * still verifies access tokens (their keys come from a JWKS, and they are cached by `ath`). The
 * tests sign proofs with jose (@dpop-lab/protocol's signProof), so the two are checked against each other.
 *
 * This is the first asymmetric operation on the request, so it runs after the cheap checks;
 * checkProofKeyBounds has bounded what it can cost.
 */
import {
  constants,
  createPublicKey,
  verify,
  type JsonWebKey,
  type KeyObject,
  type VerifyKeyObjectInput,
} from 'node:crypto';

import type { ProofAlgorithm } from '../algorithms.ts';
import { invalidProof } from '../errors.ts';
import type { ProofKey } from '../proof-header-cache.ts';

/** RFC 7518 §3.1 and RFC 8037 §3.1: each algorithm's hash and signature encoding in node:crypto. */
const VERIFY_WITH: Record<
  ProofAlgorithm,
  { hash: string | null; options: Omit<VerifyKeyObjectInput, 'key'> }
> = {
  // JWS carries ECDSA signatures as r || s (RFC 7518 §3.4), not DER.
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { hash: 'sha384', options: { dsaEncoding: 'ieee-p1363' } },
  RS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  // RFC 7518 §3.5: the salt is as long as the hash.
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  EdDSA: { hash: null, options: {} },
};

/** The jwk as a node:crypto public key; throws when it is none (e.g. a point not on its curve). */
function importProofKey({ kty, crv, x, y, n, e }: ProofKey['jwk']): KeyObject {
  // Only the members of the public key: nothing else in the header reaches the import.
  const key = createPublicKey({ key: { kty, crv, x, y, n, e } as JsonWebKey, format: 'jwk' });
  if (key.type !== 'public') throw new TypeError('the jwk is not an asymmetric public key');
  return key;
}

export async function verifyProofSignature(proof: string, proofKey: ProofKey): Promise<void> {
  let { key } = proofKey;
  if (key === undefined) {
    try {
      key = proofKey.key = importProofKey(proofKey.jwk);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'unreadable key';
      throw invalidProof(
        `The DPoP proof could not be verified (its jwk is no usable public key: ${reason}): send a proof signed with the key in its jwk header.`,
      );
    }
  }
  // readProofHeader has checked there are three base64url segments.
  const signatureAt = proof.lastIndexOf('.');
  const { hash, options } = VERIFY_WITH[proofKey.alg];
  const verified = await new Promise<boolean>((resolve) => {
    try {
      verify(
        hash,
        Buffer.from(proof.slice(0, signatureAt), 'ascii'),
        { key, ...options },
        Buffer.from(proof.slice(signatureAt + 1), 'base64url'),
        (error, valid) => resolve(!error && valid),
      );
    } catch {
      resolve(false); // e.g. a signature of the wrong length for the curve
    }
  });
  if (!verified) {
    throw invalidProof(
      'The DPoP proof signature does not verify with the jwk in its header: sign the proof with the private key of that jwk.',
    );
  }
}
