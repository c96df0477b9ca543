/**
 * Remembers which DPoP proofs were used (RFC 9449 §11.1) so each one is accepted once.
 *
 * The interface is a single atomic "insert if absent": a separate has()/set() pair would let two
 * concurrent requests with the same proof both see "absent". A shared store (Redis `SET NX PX`,
 * a database unique key) can implement it for several API instances.
 */
export interface ReplayCache {
  /** Records `key` for `ttlMs`; `true` if it was new, `false` if it is still remembered. */
  insertIfAbsent(key: string, ttlMs: number): Promise<boolean>;
}

/** Thrown when the cache is full of live entries: refusing is safer than forgetting one. */
export class ReplayCacheFullError extends Error {
  constructor(maxEntries: number) {
    super(`The replay cache holds ${maxEntries} unexpired entries and cannot record more.`);
    this.name = 'ReplayCacheFullError';
  }
}

export interface MemoryReplayCacheOptions {
  /** Upper bound on remembered entries (default 100 000). */
  maxEntries?: number;
  /** How often, at most, an insert sweeps expired entries (default 10 s). */
  sweepIntervalMs?: number;
  now?: () => number;
}

/**
 * In-process implementation. Atomic because the check and the write run in one synchronous turn
 * of the event loop. Bounded: entries expire after their ttl, an insert sweeps expired entries at
 * most every `sweepIntervalMs` (amortised, no timer to keep the process alive) and always when
 * the cache is full; a cache still full after a sweep throws ReplayCacheFullError rather than
 * evict an entry whose proof could then be replayed.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #sweepIntervalMs: number;
  readonly #now: () => number;
  #nextSweepAt: number;

  constructor({
    maxEntries = 100_000,
    sweepIntervalMs = 10_000,
    now = Date.now,
  }: MemoryReplayCacheOptions = {}) {
    this.#maxEntries = maxEntries;
    this.#sweepIntervalMs = sweepIntervalMs;
    this.#now = now;
    this.#nextSweepAt = now() + sweepIntervalMs;
  }

  get size(): number {
    return this.#expiries.size;
  }

  async insertIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    if (now >= this.#nextSweepAt || this.#expiries.size >= this.#maxEntries) this.sweep();

    const expiresAt = this.#expiries.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    if (expiresAt === undefined && this.#expiries.size >= this.#maxEntries) {
      throw new ReplayCacheFullError(this.#maxEntries);
    }
    this.#expiries.set(key, now + Math.max(0, ttlMs));
    return true;
  }

  /** Drops every expired entry. */
  sweep(): void {
    const now = this.#now();
    for (const [key, expiresAt] of this.#expiries) {
      if (expiresAt <= now) this.#expiries.delete(key);
    }
    this.#nextSweepAt = now + this.#sweepIntervalMs;
  }
}
