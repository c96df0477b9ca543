/**
 * Who holds how many entries of the in-memory replay cache: each proof key (its thumbprint) gets a
 * small number that the table stores with every entry, and a count of its entries.
 *
 * Counts include entries that expired since the last sweep; the cache sweeps before it refuses a
 * key for its share, so a key is never refused for entries that have already expired for long.
 */
export class ReplayOwners {
  readonly #ids = new Map<string, number>();
  #counts: number[] = [];
  /** The earliest expiry among each owner's entries, as of the last sweep. */
  #earliest: number[] = [];
  readonly #free: number[] = [];

  /** How many entries `owner` holds (expired ones not yet swept included). */
  countOf(owner: string): number {
    const id = this.#ids.get(owner);
    return id === undefined ? 0 : this.#counts[id]!;
  }

  /** When `owner`'s earliest entry expires, as of the last sweep (Infinity if unknown). */
  earliestExpiryOf(owner: string): number {
    const id = this.#ids.get(owner);
    return id === undefined ? Infinity : this.#earliest[id]!;
  }

  /** Counts one more entry for `owner`; returns the number the table stores with it. */
  added(owner: string): number {
    let id = this.#ids.get(owner);
    if (id === undefined) {
      id = this.#free.pop() ?? this.#counts.length;
      this.#ids.set(owner, id);
      this.#counts[id] = 0;
      this.#earliest[id] = Infinity;
    }
    this.#counts[id]! += 1;
    return id;
  }

  /** One entry of the owner numbered `id` was overwritten. */
  removed(id: number): void {
    this.#counts[id] = Math.max(0, this.#counts[id]! - 1);
  }

  /** Before a sweep: forget all counts; the sweep counts the live entries again. */
  startRecount(): void {
    this.#counts.fill(0);
    this.#earliest.fill(Infinity);
  }

  recount(id: number, expiresAt: number): void {
    this.#counts[id]! += 1;
    if (expiresAt < this.#earliest[id]!) this.#earliest[id] = expiresAt;
  }

  /** After a sweep: owners without live entries give their number back. */
  finishRecount(): void {
    for (const [owner, id] of this.#ids) {
      if (this.#counts[id] === 0) {
        this.#ids.delete(owner);
        this.#free.push(id);
      }
    }
  }
}
