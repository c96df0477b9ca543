import { Injectable } from '@angular/core';

import { originOf } from './dpop-urls';

/**
 * The latest server-provided DPoP nonce per origin (RFC 9449 §8, §9).
 *
 * A server may hand out a new nonce on any response, successful or not (§8.2), so the
 * interceptor records every `DPoP-Nonce` it sees and the next proof to that origin carries it.
 * Keyed by origin because the authorization server and the API each issue their own nonces.
 */
@Injectable({ providedIn: 'root' })
export class DpopNonces {
  private readonly byOrigin = new Map<string, string>();

  get(url: string): string | undefined {
    const origin = originOf(url);
    return origin === null ? undefined : this.byOrigin.get(origin);
  }

  /** Records the nonce a response from `url` carried. */
  remember(url: string, nonce: string): void {
    const origin = originOf(url);
    if (origin !== null) this.byOrigin.set(origin, nonce);
  }

  /** Forgets every nonce (`Dpop.end()`, at sign-out); servers will simply challenge again. */
  clear(): void {
    this.byOrigin.clear();
  }
}
