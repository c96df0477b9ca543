/**
 * Tokens the issuer said are not active (or whose introspection answer the API refused), by the
 * SHA-256 of the token, for a few seconds: a junk token resent a thousand times costs the issuer
 * one introspection, not a thousand (issue 19, finding 2). Seconds, not longer: a token the issuer
 * did not know yet (replication lag) is asked about again soon. Bounded: beyond `maxEntries` the
 * oldest entry goes.
 */
export class InactiveTokens {
  readonly #entries = new Map<string, { description: string; untilMs: number }>();

  constructor(
    readonly maxEntries = 10_000,
    readonly ttlMs = 10_000,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Why the token was refused, if it was within `ttlMs`. */
  get(hash: string, nowMs: number): string | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.untilMs <= nowMs) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.description;
  }

  set(hash: string, description: string, nowMs: number): void {
    this.#entries.delete(hash);
    if (this.#entries.size >= this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(hash, { description, untilMs: nowMs + this.ttlMs });
  }
}
