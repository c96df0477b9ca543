/**
 * When the API requires nonces, the proof carries a nonce the API issued recently
 * (RFC 9449 §9, §4.3 item 10). A missing, unknown or stale nonce is answered 401
 * `use_dpop_nonce`; the server adds a fresh `DPoP-Nonce` header to that response, which the
 * client puts in a new proof and retries once.
 */
import type { DpopNonces } from '../dpop-nonce.ts';
import { useDpopNonce } from '../errors.ts';

export function checkProofNonce(nonce: string | undefined, nonces: DpopNonces): void {
  if (nonce === undefined) {
    throw useDpopNonce(
      'This API requires a nonce in the DPoP proof: put the DPoP-Nonce value from this response in the proof and retry.',
    );
  }
  const verdict = nonces.check(nonce);
  if (verdict === 'stale') {
    throw useDpopNonce(
      'The DPoP proof nonce has expired: use the DPoP-Nonce value from this response and retry.',
    );
  }
  if (verdict === 'invalid') {
    throw useDpopNonce(
      'The DPoP proof nonce was not issued by this API: use the DPoP-Nonce value from this response and retry.',
    );
  }
}
