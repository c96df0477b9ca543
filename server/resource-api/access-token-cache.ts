/**
 * Verified access tokens, by the SHA-256 of the token (base64url: the proof's `ath`, which
 * checkAccessTokenHash has compared with the token). A session sends the same token with every
 * request until it expires, so its signature is verified (or the issuer asked) once, and a DPoP
 * request then costs one signature check, the proof's, like a bearer request (issue 13).
 *
 * Only what never changes is cached: that the issuer signed these claims (or said so by
 * introspection). Every request still checks exp, aud, cnf.jkt against its proof key, scope and
 * ath. An entry is dropped:
 * - at the token's `exp` (and an introspection answer after `maxAgeMs`, default 30 s, so a
 *   revoked opaque token is refused within that time);
 * - when the issuer's key set changes (`keysVersion`): a token signed with a removed key must not
 *   outlive its key here;
 * - when the cache is full: the oldest entry goes (bounded at `maxEntries`).
 */
import type { AccessToken } from './access-token.ts';

interface Entry {
  token: AccessToken;
  untilMs: number;
  keysVersion: number;
}

export class AccessTokenCache {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.#entries.size;
  }

  get(hash: string, nowMs: number, keysVersion: number): AccessToken | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.untilMs <= nowMs || entry.keysVersion !== keysVersion) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.token;
  }

  /** Keeps `token` until its `exp`, or `untilMs` if sooner. */
  set(hash: string, token: AccessToken, keysVersion: number, untilMs = Infinity): void {
    const until = Math.min(token.expiresAt * 1000, untilMs);
    if (this.#entries.size >= this.maxEntries && !this.#entries.has(hash)) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(hash, { token, untilMs: until, keysVersion });
  }
}
