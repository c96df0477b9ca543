/**
 * Remembers which DPoP proofs were used (RFC 9449 §11.1) so each one is accepted once.
 *
 * The interface is a single atomic "insert if absent": a separate has()/set() pair would let two
 * concurrent requests with the same proof both see "absent". A shared store (Redis, a database
 * unique key) can implement it for several API instances.
 *
 * Every entry belongs to a principal: the client and the user the access token was issued to
 * (../principal.ts), never the proof key alone. Keys cost nothing, so a share per key was no
 * share: ten keys of one client filled the whole cache and everybody else got 503 (issue 19). So
 * - one principal may hold at most a share of the capacity (ReplayLimitError `proofs`);
 * - one principal may use at most a few proof keys at once (ReplayLimitError `keys`);
 * - a cache that is full anyway holds back only the principals over their fair part of it
 *   (ReplayLimitError `full`), and still records the others' proofs: no principal's flood makes
 *   anybody else's request fail.
 * A refused principal gets 429 with Retry-After; nothing is ever forgotten early, because a
 * forgotten proof could be replayed.
 */
export interface ReplayCache {
  /**
   * Records `proof` until `proof.expiresAt`: `true` if it was new, `false` if it is still
   * remembered (a replay). Throws ReplayLimitError when its principal must wait.
   */
  insertIfAbsent(proof: ProofEntry): Promise<boolean>;
}

export interface ProofEntry {
  /** replayKey(jti, htu): a fixed-size digest, whatever the client sent. */
  key: string;
  /** Epoch milliseconds until which the proof could still be accepted, so must be remembered. */
  expiresAt: number;
  /** Whose share the entry counts against (principalOf: client + user, as a digest). */
  principal: string;
  /** The RFC 7638 thumbprint of the proof key: a principal may use only so many at once. */
  jkt: string;
}

/** Live entries the in-memory cache aims to hold at most (a full cache holds back the heavy principals). */
export const DEFAULT_REPLAY_CAPACITY = 100_000;
/** One principal's share: a tenth of the capacity (see replayShareOf). */
export const REPLAY_SHARE_DIVISOR = 10;
/**
 * Proof keys one principal may use at once (keys with live entries). A browser session keeps one
 * key; a user signed in on several devices, or signing in again and again, uses a few more
 * within the few minutes an entry lives. More than this is a client making keys up.
 */
export const DEFAULT_KEYS_PER_PRINCIPAL = 32;

/**
 * A tenth of the capacity, 10,000 entries by default. With nonces on an entry lives at most two
 * minutes (the nonce's life), so one principal may make about 80 requests a second for ever
 * (33 with nonces off: 300 s), far beyond any user or service; a principal that floods gets 429.
 */
export function replayShareOf(capacity: number): number {
  return Math.max(1, Math.floor(capacity / REPLAY_SHARE_DIVISOR));
}

/**
 * Why a principal must wait:
 * - `proofs`: it holds its whole share of live entries;
 * - `keys`: the proof key is new and the principal already uses its maximum of keys;
 * - `full`: the cache is full and the principal holds more than its fair part of it.
 */
export type ReplayLimit = 'proofs' | 'keys' | 'full';

/** The principal must wait before another proof of it is recorded (429 for it alone). */
export class ReplayLimitError extends Error {
  override readonly name = 'ReplayLimitError';

  constructor(
    readonly limit: ReplayLimit,
    /** The number it is at: entries (`proofs`, `full`) or keys (`keys`). */
    readonly count: number,
    /** When it may record again (its oldest entry, or its oldest key's last entry, expires): ms from now. */
    readonly retryAfterMs: number,
  ) {
    super(`The principal's ${limit} limit (${count}) is reached.`);
  }
}

/**
 * The cache cannot record at all: beyond its hard limit (never reached by the rules above: see
 * ./memory-replay-cache.ts), or its store is unreachable. Refusing is safer than forgetting.
 */
export class ReplayCacheFullError extends Error {
  override readonly name = 'ReplayCacheFullError';

  constructor(maxEntries: number) {
    super(`The replay cache holds ${maxEntries} unexpired entries and cannot record more.`);
  }
}
