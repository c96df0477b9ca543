/**
 * Remembers which DPoP proofs were used (RFC 9449 §11.1) so each one is accepted once.
 *
 * The interface is a single atomic "insert if absent": a separate has()/set() pair would let two
 * concurrent requests with the same proof both see "absent". A shared store (Redis, a database
 * unique key) can implement it for several API instances.
 *
 * Every entry belongs to the proof key that signed it (its RFC 7638 thumbprint, the `jkt`), and
 * one key may hold at most a share of the capacity: a caller with a valid token can fill only its
 * own share, and everybody else's proofs are still recorded (issue: a single client once filled
 * the whole cache, and every DPoP call got 503).
 */
export interface ReplayCache {
  /**
   * Records `key` for `ttlMs` on behalf of `owner`: `true` if it was new, `false` if it is still
   * remembered (a replay). Throws ReplayShareExceededError when `owner` holds its whole share.
   */
  insertIfAbsent(key: string, ttlMs: number, owner: string): Promise<boolean>;
}

/** Live entries at most, over all keys (default of the in-memory cache). */
export const DEFAULT_REPLAY_CAPACITY = 100_000;
/** One key's share: a tenth of the capacity (see replayShareOf). */
export const REPLAY_SHARE_DIVISOR = 10;

/**
 * A tenth of the capacity, 10,000 entries by default. A proof's entry lives about 300 s (the proof
 * window), so one key may make about 33 requests per second for ever, far beyond any browser
 * session or service client; a key that floods gets 429 and holds 10 % of the cache at most.
 */
export function replayShareOf(capacity: number): number {
  return Math.max(1, Math.floor(capacity / REPLAY_SHARE_DIVISOR));
}

/** Thrown when the cache is full of live entries: refusing is safer than forgetting one. */
export class ReplayCacheFullError extends Error {
  constructor(maxEntries: number) {
    super(`The replay cache holds ${maxEntries} unexpired entries and cannot record more.`);
    this.name = 'ReplayCacheFullError';
  }
}

/** Thrown when one proof key already holds its whole share of live entries. */
export class ReplayShareExceededError extends Error {
  constructor(
    readonly share: number,
    /** When the key's oldest entry expires, so it may record again (milliseconds from now). */
    readonly retryAfterMs: number,
  ) {
    super(`This proof key holds ${share} unexpired replay entries, its whole share.`);
    this.name = 'ReplayShareExceededError';
  }
}
