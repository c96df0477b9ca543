/**
 * Who holds how many entries of the in-memory replay cache (./memory-replay-cache.ts): each
 * principal (client + user, ../principal.ts) gets a small number that the table stores with
 * every entry, a count of its entries, and the proof keys it used with the last expiry of each.
 *
 * Counts include entries that expired since the last sweep; the cache sweeps before it refuses,
 * so a principal is never refused for entries that have long expired. A key's expiry is that of
 * its newest entry, so a key counts as in use exactly while one of its proofs could still come.
 */
export interface PrincipalRecord {
  /** The number the table stores with each entry. */
  readonly id: number;
  /** Entries held (expired ones not yet swept included). */
  count: number;
  /** The earliest expiry among its entries (as of the last sweep, and the inserts since). */
  earliest: number;
  /** Proof key thumbprint → the expiry of its newest entry. */
  readonly keys: Map<string, number>;
}

export class ReplayPrincipals {
  readonly #byName = new Map<string, PrincipalRecord>();
  readonly #byId: (PrincipalRecord | undefined)[] = [];
  readonly #free: number[] = [];

  /** Principals holding entries (as of the counts). */
  get active(): number {
    return this.#byName.size;
  }

  get(principal: string): PrincipalRecord | undefined {
    return this.#byName.get(principal);
  }

  /**
   * `undefined` when `record` may use `jkt`: a key it already uses, or a new one while it uses
   * fewer than `maxKeys`; else the milliseconds until one of its keys is no longer in use.
   */
  keyWait(record: PrincipalRecord, jkt: string, now: number, maxKeys: number): number | undefined {
    if (record.keys.has(jkt) || record.keys.size < maxKeys) return undefined;
    let soonest = Infinity;
    for (const [key, expiresAt] of record.keys) {
      if (expiresAt <= now) record.keys.delete(key);
      else if (expiresAt < soonest) soonest = expiresAt;
    }
    return record.keys.size < maxKeys ? undefined : soonest - now;
  }

  /** Counts one more entry for `principal` with key `jkt`; returns the number the table stores. */
  added(principal: string, jkt: string, expiresAt: number): number {
    let record = this.#byName.get(principal);
    if (record === undefined) {
      const id = this.#free.pop() ?? this.#byId.length;
      record = { id, count: 0, earliest: Infinity, keys: new Map() };
      this.#byName.set(principal, record);
      this.#byId[id] = record;
    }
    record.count += 1;
    if (expiresAt < record.earliest) record.earliest = expiresAt;
    const keyExpiry = record.keys.get(jkt);
    if (keyExpiry === undefined || expiresAt > keyExpiry) record.keys.set(jkt, expiresAt);
    return record.id;
  }

  /** One entry of the principal numbered `id` was overwritten (it had expired). */
  removed(id: number): void {
    const record = this.#byId[id];
    if (record && record.count > 0) record.count -= 1;
  }

  /** Before a sweep: forget all counts; the sweep counts the live entries again. */
  startRecount(): void {
    for (const record of this.#byName.values()) {
      record.count = 0;
      record.earliest = Infinity;
    }
  }

  recount(id: number, expiresAt: number): void {
    const record = this.#byId[id]!;
    record.count += 1;
    if (expiresAt < record.earliest) record.earliest = expiresAt;
  }

  /** After a sweep: principals without live entries give their number back; expired keys go. */
  finishRecount(now: number): void {
    for (const [principal, record] of this.#byName) {
      if (record.count === 0) {
        this.#byName.delete(principal);
        this.#byId[record.id] = undefined;
        this.#free.push(record.id);
        continue;
      }
      for (const [key, expiresAt] of record.keys) if (expiresAt <= now) record.keys.delete(key);
    }
  }
}
