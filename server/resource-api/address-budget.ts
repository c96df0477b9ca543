/**
 * How many tokens the API has not seen one client address may make it check with the issuer
 * (issue 19, finding 2): a token bucket per address, `burst` at first and one more every
 * `refillMs`. An address past it gets 429 with Retry-After; every other address is unaffected,
 * and so is this address's traffic with tokens the API knows (cached, or seen active before).
 *
 * Addresses are counted as the authorization server counts them (clientAddressKey: an IPv6 /64 as
 * one), from the socket, never from X-Forwarded-For. Bounded: beyond `maxAddresses` the address
 * seen longest ago is forgotten, which gives it a full bucket again (at worst, that many
 * addresses × burst checks, which the introspection queue's concurrency cap still paces).
 */
import { clientAddressKey } from '../authorization-server/client-address.ts';

export interface AddressBudgetOptions {
  /** New tokens an address may have checked at once (default 30). */
  burst?: number;
  /** One more every this many milliseconds (default 1 000: 60 a minute). */
  refillMs?: number;
  /** Addresses remembered at most (default 10 000). */
  maxAddresses?: number;
}

export class AddressBudget {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();
  readonly burst: number;
  readonly #refillMs: number;
  readonly #maxAddresses: number;

  constructor({ burst = 30, refillMs = 1_000, maxAddresses = 10_000 }: AddressBudgetOptions = {}) {
    this.burst = burst;
    this.#refillMs = refillMs;
    this.#maxAddresses = maxAddresses;
  }

  /** Takes one from `address`'s budget: 0 if there was one, else the milliseconds until there is. */
  take(address: string, nowMs: number): number {
    const key = clientAddressKey(address);
    const bucket = this.#buckets.get(key);
    const tokens = bucket
      ? Math.min(this.burst, bucket.tokens + (nowMs - bucket.atMs) / this.#refillMs)
      : this.burst;
    if (tokens < 1) return Math.ceil((1 - tokens) * this.#refillMs);
    // Re-inserted, so the map's order is the order of last use (the oldest goes first).
    this.#buckets.delete(key);
    if (this.#buckets.size >= this.#maxAddresses) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(key, { tokens: tokens - 1, atMs: nowMs });
    return 0;
  }
}
