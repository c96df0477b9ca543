/**
 * The replay cache of one API instance, in memory (./replay-cache.ts has the contract).
 *
 * Atomic: the check and the write run in one synchronous turn of the event loop. Compact: entries
 * are 64-bit fingerprints with their expiry and owner in typed arrays (./replay-table.ts), about
 * 50 bytes an entry at 100,000 entries, where a Map of strings took ~420 (issue 13).
 *
 * Bounded three ways:
 * - entries expire after their ttl; a sweep (a rebuild of the table without the expired entries,
 *   which also shrinks it) runs on an insert at most every `sweepIntervalMs` (no timer keeps the
 *   process alive), and whenever the table must grow;
 * - at most `maxEntries` live entries: a cache full of live entries throws ReplayCacheFullError
 *   rather than forget one whose proof could then be replayed;
 * - at most `maxEntriesPerOwner` live entries per proof key: that key gets
 *   ReplayShareExceededError (429), everybody else goes on (RFC 9449 §11.1 asks for single use;
 *   the share keeps one caller from using up the capacity for all).
 */
import {
  DEFAULT_REPLAY_CAPACITY,
  ReplayCacheFullError,
  ReplayShareExceededError,
  replayShareOf,
  type ReplayCache,
} from './replay-cache.ts';
import { ReplayOwners } from './replay-owners.ts';
import { fingerprintOf, ReplayTable } from './replay-table.ts';

const MIN_CAPACITY = 1024;
/** A refusal (key at its share, cache full) sweeps at most this often: a sweep walks the table. */
const REFUSAL_SWEEP_INTERVAL_MS = 1_000;

export interface MemoryReplayCacheOptions {
  /** Upper bound on live entries (default 100 000). */
  maxEntries?: number;
  /** Upper bound on one proof key's live entries (default a tenth of maxEntries). */
  maxEntriesPerOwner?: number;
  /** How often, at most, an insert sweeps expired entries (default 10 s). */
  sweepIntervalMs?: number;
  now?: () => number;
}

function powerOfTwoAtLeast(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, value)));
}

export class MemoryReplayCache implements ReplayCache {
  readonly #maxEntries: number;
  readonly #share: number;
  readonly #sweepIntervalMs: number;
  readonly #now: () => number;
  /** At most maxEntries entries in 2 × maxEntries slots: probes always reach an empty slot. */
  readonly #maxCapacity: number;
  readonly #owners = new ReplayOwners();
  #table = new ReplayTable(MIN_CAPACITY);
  #nextSweepAt: number;
  #lastSweepAt = -Infinity;

  constructor({
    maxEntries = DEFAULT_REPLAY_CAPACITY,
    maxEntriesPerOwner = replayShareOf(maxEntries),
    sweepIntervalMs = 10_000,
    now = Date.now,
  }: MemoryReplayCacheOptions = {}) {
    this.#maxEntries = maxEntries;
    this.#share = maxEntriesPerOwner;
    this.#sweepIntervalMs = sweepIntervalMs;
    this.#now = now;
    this.#nextSweepAt = now() + sweepIntervalMs;
    this.#maxCapacity = Math.max(MIN_CAPACITY, powerOfTwoAtLeast(maxEntries * 2));
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.#table.occupied;
  }

  async insertIfAbsent(key: string, ttlMs: number, owner: string): Promise<boolean> {
    const now = this.#now();
    const growing = this.#table.capacity < this.#maxCapacity;
    if (
      now >= this.#nextSweepAt ||
      (growing && this.#table.occupied + 1 > this.#table.capacity / 2)
    )
      this.sweep();

    const fingerprint = fingerprintOf(key);
    const probe = this.#table.probe(fingerprint, now);
    if (probe.found && this.#table.expiryAt(probe.slot) > now) return false;
    let { slot } = probe;

    // Counts may include entries that expired since the last sweep: sweep before refusing.
    const overShare = () => this.#owners.countOf(owner) >= this.#share;
    const full = () => this.#table.expiryAt(slot) === 0 && this.#table.occupied >= this.#maxEntries;
    if ((overShare() || full()) && now - this.#lastSweepAt >= REFUSAL_SWEEP_INTERVAL_MS) {
      this.sweep();
      ({ slot } = this.#table.probe(fingerprint, now));
    }
    if (overShare()) {
      const earliest = this.#owners.earliestExpiryOf(owner);
      const wait = Number.isFinite(earliest) ? earliest - now : ttlMs;
      throw new ReplayShareExceededError(this.#share, Math.max(1_000, wait));
    }
    if (full()) throw new ReplayCacheFullError(this.#maxEntries);

    const previous = this.#table.expiryAt(slot);
    if (previous !== 0) this.#owners.removed(this.#table.ownerAt(slot));
    this.#table.write(slot, fingerprint, now + Math.max(0, ttlMs), this.#owners.added(owner));
    return true;
  }

  /**
   * Drops every expired entry: copies the live ones into a table sized for them (room to grow
   * fourfold, within the maximum), and counts each key's entries again.
   */
  sweep(): void {
    const now = this.#now();
    let live = 0;
    this.#table.forEachLive(now, () => (live += 1));
    const capacity = Math.min(
      this.#maxCapacity,
      Math.max(MIN_CAPACITY, powerOfTwoAtLeast(live * 4)),
    );
    const next = new ReplayTable(capacity);
    this.#owners.startRecount();
    this.#table.forEachLive(now, (fingerprint, expiresAt, owner) => {
      next.write(next.probe(fingerprint, now).slot, fingerprint, expiresAt, owner);
      this.#owners.recount(owner, expiresAt);
    });
    this.#owners.finishRecount();
    this.#table = next;
    this.#lastSweepAt = now;
    this.#nextSweepAt = now + this.#sweepIntervalMs;
  }
}
