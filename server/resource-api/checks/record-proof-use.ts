/**
 * A proof is used once (RFC 9449 §11.1). Its `jti` (with the `htu`) goes into the
 * replay cache in one atomic insert; a second request with the same proof is refused.
 *
 * The pipeline calls this last, after every other check has passed: a request that fails for
 * any other reason must not burn the jti (else an attacker could spend a proof it saw without
 * being able to use it, and a client retry after a nonce challenge would look like a replay).
 * The key is a hash of jti and the normalised htu, so the cache holds fixed-size keys no matter
 * what the client sends. The entry lives as long as the proof could still be accepted:
 * until iat + window (checkProofAge).
 */
import { createHash } from 'node:crypto';

import { invalidProof, ServiceUnavailableError } from '../errors.ts';
import type { ReplayCache } from '../replay-cache.ts';

export function replayKey(jti: string, htu: string): string {
  return createHash('sha256')
    .update(JSON.stringify([jti, htu]))
    .digest('base64url');
}

export interface ProofUse {
  jti: string;
  /** The normalised htu (the expected value, which the proof matched). */
  htu: string;
  iat: number;
}

export async function recordProofUse(
  cache: ReplayCache,
  use: ProofUse,
  nowMs: number,
  windowSeconds: number,
): Promise<void> {
  const ttlMs = Math.max(1000, Math.ceil((use.iat + windowSeconds) * 1000 - nowMs) + 1000);
  let inserted: boolean;
  try {
    inserted = await cache.insertIfAbsent(replayKey(use.jti, use.htu), ttlMs);
  } catch (cause) {
    // Fail closed: a proof that cannot be recorded could be replayed, so it is not accepted.
    throw new ServiceUnavailableError(
      'This API cannot record DPoP proofs right now (its replay store is unavailable), so it accepts none: retry with a new proof in a few seconds.',
      { cause },
    );
  }
  if (!inserted) {
    throw invalidProof(
      'This DPoP proof was already used: create a new proof, with a fresh jti, for every request (RFC 9449 §11.1).',
    );
  }
}
