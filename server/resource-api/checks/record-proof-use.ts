/**
 * A proof is used once (RFC 9449 §11.1). Its `jti` (with the `htu`) goes into the
 * replay cache in one atomic insert; a second request with the same proof is refused.
 *
 * The pipeline calls this last, after every other check has passed: a request that fails for
 * any other reason must not burn the jti (else an attacker could spend a proof it saw without
 * being able to use it, and a client retry after a nonce challenge would look like a replay).
 * The key is a hash of jti and the normalised htu, so the cache holds fixed-size keys no matter
 * what the client sends. The entry lives as long as the proof could still be accepted:
 * until iat + the past window (checkProofAge); an iat ahead of the clock makes it live longer by
 * at most the future window.
 *
 * The entry belongs to the proof key (its thumbprint, which the token is bound to): one key may
 * hold a share of the cache only. A key over its share gets 429 with Retry-After; nobody else is
 * affected. A cache that cannot record (full, or its store unreachable) fails closed: 503.
 */
import { createHash } from 'node:crypto';

import { invalidProof, ServiceUnavailableError, TooManyProofsError } from '../errors.ts';
import {
  ReplayCacheFullError,
  ReplayShareExceededError,
  type ReplayCache,
} from '../replay-cache.ts';

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
  /** The RFC 7638 thumbprint of the proof key: whose share the entry counts against. */
  jkt: string;
}

export async function recordProofUse(
  cache: ReplayCache,
  use: ProofUse,
  nowMs: number,
  pastWindowSeconds: number,
): Promise<void> {
  const ttlMs = Math.max(1000, Math.ceil((use.iat + pastWindowSeconds) * 1000 - nowMs) + 1000);
  let inserted: boolean;
  try {
    inserted = await cache.insertIfAbsent(replayKey(use.jti, use.htu), ttlMs, use.jkt);
  } catch (cause) {
    if (cause instanceof ReplayShareExceededError) {
      const seconds = Math.ceil(cause.retryAfterMs / 1000);
      throw new TooManyProofsError(
        `This DPoP key has ${cause.share} proofs in this API's replay cache, the most one key may ` +
          `hold within the proof window: slow down, and retry in ${seconds} s (RFC 9449 section 11.1).`,
        seconds,
      );
    }
    // Fail closed: a proof that cannot be recorded could be replayed, so it is not accepted.
    const why = cause instanceof ReplayCacheFullError ? 'is full' : 'is unavailable';
    throw new ServiceUnavailableError(
      `This API cannot record DPoP proofs right now (its replay store ${why}), so it accepts none: retry with a new proof in a few seconds.`,
      { cause },
    );
  }
  if (!inserted) {
    throw invalidProof(
      'This DPoP proof was already used: create a new proof, with a fresh jti, for every request (RFC 9449 §11.1).',
    );
  }
}
