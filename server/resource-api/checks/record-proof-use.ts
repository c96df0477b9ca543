/**
 * A proof is used once (RFC 9449 §11.1). Its `jti` (with the `htu`) goes into the
 * replay cache in one atomic insert; a second request with the same proof is refused.
 *
 * The pipeline calls this last, after every other check has passed: a request that fails for
 * any other reason must not burn the jti (else an attacker could spend a proof it saw without
 * being able to use it, and a client retry after a nonce challenge would look like a replay).
 * Before asking the issuer about an opaque token (../introspection-gate.ts), the proof is also
 * recorded for that purpose (`introspect`, a key of its own, for the caller's address): a copy of
 * it cannot make the API ask again, yet the proof itself is not used up until it is accepted.
 * The key is a hash of jti and the normalised htu, so the cache holds fixed-size keys no matter
 * what the client sends. The entry lives as long as the proof could still be accepted
 * (readProofDeadline), plus a second for the clocks of instances sharing a store.
 *
 * The entry belongs to a principal, the client and user the token speaks for, and names the
 * proof key: a principal that holds its share, uses too many keys, or more than its part of a
 * full cache gets 429 with Retry-After; nobody else is affected. A cache that cannot record (its
 * store unreachable, its safety limit reached) fails closed: 503.
 */
import { hash } from 'node:crypto';

import { invalidProof, ServiceUnavailableError, TooManyRequestsError } from '../errors.ts';
import {
  ReplayCacheFullError,
  ReplayLimitError,
  type ReplayCache,
  type ReplayLimit,
} from '../replay-cache.ts';

/** Slack for the clocks of API instances that share one store. */
const CLOCK_SLACK_MS = 1_000;

/** What a proof is recorded for: being accepted, or making the API ask the issuer. */
export type ProofPurpose = 'accept' | 'introspect';

export function replayKey(jti: string, htu: string, purpose: ProofPurpose = 'accept'): string {
  return hash(
    'sha256',
    JSON.stringify(purpose === 'accept' ? [jti, htu] : [purpose, jti, htu]),
    'base64url',
  );
}

export interface ProofUse {
  jti: string;
  /** The normalised htu (the expected value, which the proof matched). */
  htu: string;
  /** Epoch milliseconds until which the proof could be accepted (readProofDeadline). */
  deadline: number;
  /** Whose share the entry counts against (../principal.ts). */
  principal: string;
  /** The RFC 7638 thumbprint of the proof key. */
  jkt: string;
  /** Default `accept`. */
  purpose?: ProofPurpose;
}

/** What a principal held back is told: what it is at, and what to do. */
const LIMIT_TEXT: Record<ReplayLimit, (count: number) => string> = {
  proofs: (count) =>
    `This client has ${count} DPoP proofs for this user in this API's replay cache, the most it may hold while they can be replayed: slow down`,
  keys: (count) =>
    `This client already uses ${count} DPoP keys for this user at this API, the most at once: sign every proof of a session with its one key`,
  full: (count) =>
    `This API's replay cache is full, and this client holds more of it for this user than its part (${count} proofs): slow down`,
};

export async function recordProofUse(cache: ReplayCache, use: ProofUse): Promise<void> {
  let inserted: boolean;
  try {
    inserted = await cache.insertIfAbsent({
      key: replayKey(use.jti, use.htu, use.purpose),
      expiresAt: use.deadline + CLOCK_SLACK_MS,
      principal: use.principal,
      jkt: use.jkt,
    });
  } catch (cause) {
    if (cause instanceof ReplayLimitError) {
      const seconds = Math.ceil(cause.retryAfterMs / 1000);
      throw new TooManyRequestsError(
        `${LIMIT_TEXT[cause.limit](cause.count)}, and retry in ${seconds} s (RFC 9449 section 11.1).`,
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
