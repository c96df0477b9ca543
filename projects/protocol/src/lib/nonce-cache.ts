import { originOf } from './htu.ts';

/** How many origins a cache keeps by default, as oauth4webapi does. */
const DEFAULT_MAX_ORIGINS = 100;

/**
 * The latest server-provided DPoP nonce per origin (RFC 9449 §8, §9), so the next proof to that
 * origin carries it and the server need not challenge again.
 *
 * A server may hand out a new nonce on any response, successful or not (§8.2), so a client records
 * every `DPoP-Nonce` it sees. Keyed by origin, because the authorization server and each resource
 * server issue their own. Bounded: past `maxOrigins` the least recently used origin is forgotten
 * (that server will simply challenge again), so a client that talks to many servers cannot grow it
 * without end.
 */
export class NonceCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly byOrigin = new Map<string, string>();

  constructor(private readonly maxOrigins = DEFAULT_MAX_ORIGINS) {}

  /** The nonce to put in a proof for `url`, if its origin gave one. */
  get(url: string | URL): string | undefined {
    const origin = originOf(url);
    const nonce = origin === null ? undefined : this.byOrigin.get(origin);
    if (origin !== null && nonce !== undefined) this.touch(origin, nonce);
    return nonce;
  }

  /** Records the nonce a response from `url` carried. */
  remember(url: string | URL, nonce: string): void {
    const origin = originOf(url);
    if (origin === null) return;
    this.touch(origin, nonce);
    if (this.byOrigin.size > this.maxOrigins) {
      this.byOrigin.delete(this.byOrigin.keys().next().value!);
    }
  }

  /** Forgets every nonce (at sign-out): servers will challenge again. */
  clear(): void {
    this.byOrigin.clear();
  }

  get size(): number {
    return this.byOrigin.size;
  }

  private touch(origin: string, nonce: string): void {
    this.byOrigin.delete(origin);
    this.byOrigin.set(origin, nonce);
  }
}
