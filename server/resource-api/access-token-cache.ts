/**
 * Verified access tokens, by the SHA-256 of the token (base64url: the proof's `ath`, which
 * checkAccessTokenHash has compared with the token). A session sends the same token with every
 * request until it expires, so its signature is verified (or the issuer asked) once, and a DPoP
 * request then costs one signature check, the proof's, like a bearer request (issue 13).
 *
 * Only what never changes is cached: that the issuer signed these claims (or said so by
 * introspection). Every request still checks exp, aud, cnf.jkt against its proof key, scope and
 * ath. An entry is dropped:
 * - at the token's `exp`;
 * - when the issuer's key set changes (`keysVersion`): a token signed with a removed key must not
 *   outlive its key here;
 * - when the cache is full: the oldest entry goes (bounded at `maxEntries`).
 * An introspection answer is used only until `recheckAtMs` (30 s after it came, by default), so a
 * revoked opaque token is refused within that time; after that it is asked about again, but the
 * entry stays until `exp` to say the API has seen the token active (`knows`): checking it again
 * costs its sender none of the budget for new tokens (./address-budget.ts).
 */
import type { AccessToken } from './access-token.ts';

interface Entry {
  token: AccessToken;
  untilMs: number;
  recheckAtMs: number;
  keysVersion: number;
}

export class AccessTokenCache {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The verified token, unless it expired, its keys changed, or it is due to be checked again. */
  get(hash: string, nowMs: number, keysVersion: number): AccessToken | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.untilMs <= nowMs || entry.keysVersion !== keysVersion) {
      this.#entries.delete(hash);
      return undefined;
    }
    return nowMs < entry.recheckAtMs ? entry.token : undefined;
  }

  /** The token was verified before and has not expired (it may be due to be checked again). */
  knows(hash: string, nowMs: number): boolean {
    const entry = this.#entries.get(hash);
    return entry !== undefined && entry.untilMs > nowMs;
  }

  /** Keeps `token` until its `exp`; it is used until `recheckAtMs` (default: until `exp`). */
  set(hash: string, token: AccessToken, keysVersion: number, recheckAtMs = Infinity): void {
    if (this.#entries.size >= this.maxEntries && !this.#entries.has(hash)) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(hash, {
      token,
      untilMs: token.expiresAt * 1000,
      recheckAtMs,
      keysVersion,
    });
  }
}
