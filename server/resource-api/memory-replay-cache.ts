/**
 * The replay cache of one API instance, in memory (./replay-cache.ts has the contract).
 *
 * Atomic: the check and the write run in one synchronous turn of the event loop. Compact: entries
 * are 64-bit fingerprints with their expiry and principal in typed arrays (./replay-table.ts),
 * about 50 bytes an entry at 100,000 entries, where a Map of strings took ~420 (issue 13).
 *
 * Bounded, and fair:
 * - entries expire when their proof could no longer be accepted; a sweep (a rebuild of the table
 *   without the expired entries, which also shrinks it) runs on an insert at most every
 *   `sweepIntervalMs` (no timer keeps the process alive), whenever the table must grow, and
 *   before a refusal (at most once a second);
 * - one principal (client + user) holds at most `maxEntriesPerPrincipal` live entries and uses at
 *   most `maxKeysPerPrincipal` proof keys at once; past either it gets ReplayLimitError (429), and
 *   nobody else is affected;
 * - at `maxEntries` live entries the cache is full: from then on only the principals holding less
 *   than their fair part, maxEntries ÷ the principals holding entries, may record (the others get
 *   ReplayLimitError `full` until the cache drains). So a full cache still takes the proofs of
 *   the light principals, everyone but the flooders (issue 19: it answered 503 to everybody).
 *   That lets the cache grow past maxEntries by the light principals' parts, which together stay
 *   below maxEntries again; `hardLimit` (default twice maxEntries) is only a safety net, past
 *   which inserts throw ReplayCacheFullError (503) rather than forget a live entry.
 */
import {
  DEFAULT_KEYS_PER_PRINCIPAL,
  DEFAULT_REPLAY_CAPACITY,
  ReplayCacheFullError,
  ReplayLimitError,
  replayShareOf,
  type ProofEntry,
  type ReplayCache,
} from './replay-cache.ts';
import { ReplayPrincipals, type PrincipalRecord } from './replay-principals.ts';
import { fingerprintOf, ReplayTable } from './replay-table.ts';

const MIN_CAPACITY = 1024;
/** A refusal (a principal at a limit, the cache full) sweeps at most this often: a sweep walks the table. */
const REFUSAL_SWEEP_INTERVAL_MS = 1_000;
/** The shortest Retry-After a refused principal is told. */
const MIN_WAIT_MS = 1_000;

export interface MemoryReplayCacheOptions {
  /** Live entries the cache holds before only light principals may record (default 100 000). */
  maxEntries?: number;
  /** One principal's live entries at most (default a tenth of maxEntries). */
  maxEntriesPerPrincipal?: number;
  /** Proof keys one principal may use at once (default 32). */
  maxKeysPerPrincipal?: number;
  /** Live entries past which nothing is recorded (503); default twice maxEntries. */
  hardLimit?: number;
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
  readonly #maxKeys: number;
  readonly #hardLimit: number;
  readonly #sweepIntervalMs: number;
  readonly #now: () => number;
  /** At most hardLimit entries in 2 × hardLimit slots: probes always reach an empty slot. */
  readonly #maxCapacity: number;
  /** Up to maxEntries live entries, the table stays within 2 × maxEntries slots (as before issue 19). */
  readonly #usualCapacity: number;
  readonly #principals = new ReplayPrincipals();
  #table = new ReplayTable(MIN_CAPACITY);
  #nextSweepAt: number;
  #lastSweepAt = -Infinity;

  constructor({
    maxEntries = DEFAULT_REPLAY_CAPACITY,
    maxEntriesPerPrincipal = replayShareOf(maxEntries),
    maxKeysPerPrincipal = DEFAULT_KEYS_PER_PRINCIPAL,
    hardLimit = 2 * maxEntries,
    sweepIntervalMs = 10_000,
    now = Date.now,
  }: MemoryReplayCacheOptions = {}) {
    this.#maxEntries = maxEntries;
    this.#share = maxEntriesPerPrincipal;
    this.#maxKeys = maxKeysPerPrincipal;
    this.#hardLimit = Math.max(hardLimit, maxEntries);
    this.#sweepIntervalMs = sweepIntervalMs;
    this.#now = now;
    this.#nextSweepAt = now() + sweepIntervalMs;
    this.#maxCapacity = Math.max(MIN_CAPACITY, powerOfTwoAtLeast(this.#hardLimit * 2));
    this.#usualCapacity = Math.max(MIN_CAPACITY, powerOfTwoAtLeast(maxEntries * 2));
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.#table.occupied;
  }

  async insertIfAbsent({ key, expiresAt, principal, jkt }: ProofEntry): Promise<boolean> {
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
    let refusal = this.#refusal(principal, jkt, slot, now);
    if (refusal && now - this.#lastSweepAt >= REFUSAL_SWEEP_INTERVAL_MS) {
      this.sweep();
      ({ slot } = this.#table.probe(fingerprint, now));
      refusal = this.#refusal(principal, jkt, slot, now);
    }
    if (refusal) throw refusal;

    if (this.#table.expiryAt(slot) !== 0) this.#principals.removed(this.#table.ownerAt(slot));
    this.#table.write(
      slot,
      fingerprint,
      expiresAt,
      this.#principals.added(principal, jkt, expiresAt),
    );
    return true;
  }

  /** Why `principal` may not record into `slot` now, if it may not. */
  #refusal(principal: string, jkt: string, slot: number, now: number): Error | undefined {
    const record = this.#principals.get(principal);
    const count = record?.count ?? 0;
    if (count >= this.#share) return new ReplayLimitError('proofs', count, waitFor(record, now));
    const keyWait = record && this.#principals.keyWait(record, jkt, now, this.#maxKeys);
    if (keyWait !== undefined) {
      return new ReplayLimitError('keys', this.#maxKeys, Math.max(MIN_WAIT_MS, keyWait));
    }
    const taking = this.#table.expiryAt(slot) === 0;
    if (!taking || this.#table.occupied < this.#maxEntries) return undefined;
    const principals = this.#principals.active + (record ? 0 : 1);
    if (count >= Math.max(1, Math.floor(this.#maxEntries / principals))) {
      return new ReplayLimitError('full', count, waitFor(record, now));
    }
    if (this.#table.occupied >= this.#hardLimit) return new ReplayCacheFullError(this.#hardLimit);
    return undefined;
  }

  /**
   * Drops every expired entry: copies the live ones into a table sized for them (room to grow
   * fourfold, within 2 × maxEntries slots while they fit in maxEntries), and counts each
   * principal's entries again.
   */
  sweep(): void {
    const now = this.#now();
    let live = 0;
    this.#table.forEachLive(now, () => (live += 1));
    const ceiling = live <= this.#maxEntries ? this.#usualCapacity : this.#maxCapacity;
    const capacity = Math.min(ceiling, Math.max(MIN_CAPACITY, powerOfTwoAtLeast(live * 4)));
    const next = new ReplayTable(capacity);
    this.#principals.startRecount();
    this.#table.forEachLive(now, (fingerprint, expiresAt, owner) => {
      next.write(next.probe(fingerprint, now).slot, fingerprint, expiresAt, owner);
      this.#principals.recount(owner, expiresAt);
    });
    this.#principals.finishRecount(now);
    this.#table = next;
    this.#lastSweepAt = now;
    this.#nextSweepAt = now + this.#sweepIntervalMs;
  }
}

/** Until the principal's oldest entry expires (at least a second). */
function waitFor(record: PrincipalRecord | undefined, now: number): number {
  const earliest = record?.earliest ?? Infinity;
  return Number.isFinite(earliest) ? Math.max(MIN_WAIT_MS, earliest - now) : MIN_WAIT_MS;
}
