/**
 * The storage of the in-memory replay cache: an open-addressing hash table (linear probing) in
 * typed arrays, 20 bytes a slot, so 100,000 entries take about 5 MB instead of the ~40 MB of a
 * Map of strings (issue 13).
 *
 * A slot holds a 64-bit fingerprint of the key (two 32-bit halves), its expiry in epoch
 * milliseconds (0 = empty) and the number of its owner. An expired entry keeps its slot, so probe
 * chains stay intact, until an insert reuses it or the table is rebuilt (the sweep).
 *
 * The fingerprint is FNV-1a with two seeds, each finished with MurmurHash3's fmix32. The keys
 * are SHA-256 digests (replayKey), so two proofs share a fingerprint with a chance of about
 * n / 2^64 per insert (n live entries ≤ 100,000: ~5·10⁻¹⁵); and a shared fingerprint can only
 * refuse a proof as "already used", never accept a replay.
 */

const EMPTY = 0;

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface Fingerprint {
  high: number;
  low: number;
}

export function fingerprintOf(key: string): Fingerprint {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < key.length; i += 1) {
    const code = key.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return { high: fmix32(a), low: fmix32(b) };
}

/** Where a key is, or would go: `found` (live or expired) or a free slot. */
export interface Probe {
  slot: number;
  /** The key is stored in `slot` (its entry may have expired). */
  found: boolean;
}

export class ReplayTable {
  readonly capacity: number;
  readonly #mask: number;
  readonly #high: Uint32Array;
  readonly #low: Uint32Array;
  readonly #expiry: Float64Array;
  readonly #owner: Uint32Array;
  /** Slots in use, expired entries included. */
  occupied = 0;

  /** `capacity` must be a power of two. */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#mask = capacity - 1;
    this.#high = new Uint32Array(capacity);
    this.#low = new Uint32Array(capacity);
    this.#expiry = new Float64Array(capacity);
    this.#owner = new Uint32Array(capacity);
  }

  /**
   * The slot holding `key`, else the slot an insert should take: the first expired slot on the
   * probe chain (reusing it keeps the chain intact), or the empty slot that ends it.
   */
  probe({ high, low }: Fingerprint, now: number): Probe {
    let slot = low & this.#mask;
    let reusable = -1;
    for (;;) {
      const expiry = this.#expiry[slot]!;
      if (expiry === EMPTY) return { slot: reusable >= 0 ? reusable : slot, found: false };
      if (this.#high[slot] === high && this.#low[slot] === low) return { slot, found: true };
      if (reusable < 0 && expiry <= now) reusable = slot;
      slot = (slot + 1) & this.#mask;
    }
  }

  expiryAt(slot: number): number {
    return this.#expiry[slot]!;
  }

  ownerAt(slot: number): number {
    return this.#owner[slot]!;
  }

  write(slot: number, { high, low }: Fingerprint, expiresAt: number, owner: number): void {
    if (this.#expiry[slot] === EMPTY) this.occupied += 1;
    this.#high[slot] = high;
    this.#low[slot] = low;
    this.#expiry[slot] = expiresAt;
    this.#owner[slot] = owner;
  }

  /** Calls `visit` for every entry still alive at `now` (the sweep copies them to a new table). */
  forEachLive(
    now: number,
    visit: (fingerprint: Fingerprint, expiresAt: number, owner: number) => void,
  ): void {
    for (let slot = 0; slot < this.capacity; slot += 1) {
      const expiresAt = this.#expiry[slot]!;
      if (expiresAt > now) {
        visit({ high: this.#high[slot]!, low: this.#low[slot]! }, expiresAt, this.#owner[slot]!);
      }
    }
  }
}
