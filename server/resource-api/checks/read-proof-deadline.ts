/**
 * Until when the pipeline could still accept this proof, in epoch milliseconds: what its replay
 * entry must outlive (recordProofUse), and nothing longer (issue 19).
 *
 * - checkProofAge accepts it while `iat` is at most the past window old: iat + 300 s;
 * - with nonces on, checkProofNonce accepts it only while its nonce is current: one to two
 *   minutes after the API issued the nonce (../dpop-nonce.ts). Past that, a replay is answered
 *   `use_dpop_nonce` whatever the replay cache says (RFC 9449 §9, §11.1).
 * The earlier of the two. Shorter entries mean a smaller cache and a larger share for everyone:
 * with nonces on, an entry lives at most 120 s instead of 300.
 */
import type { DpopNonces } from '../dpop-nonce.ts';
import type { ProofWindow } from './check-proof-age.ts';

export function readProofDeadline(
  iat: number,
  nonce: string | undefined,
  window: ProofWindow,
  nonces: DpopNonces | undefined,
): number {
  const byAge = (iat + window.pastSeconds) * 1000;
  if (nonces === undefined || nonce === undefined) return byAge;
  return Math.min(byAge, nonces.acceptedUntil(nonce));
}
