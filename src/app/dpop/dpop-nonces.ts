import { HttpHeaders } from '@angular/common/http';
import { Injectable } from '@angular/core';

import { defaultBase } from './htu-of';

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

  /** Stores the `DPoP-Nonce` header of a response from `url`; returns it, if there was one. */
  remember(url: string, headers: HttpHeaders): string | undefined {
    const nonce = headers.get('DPoP-Nonce')?.trim();
    const origin = originOf(url);
    if (!nonce || origin === null) {
      return undefined;
    }
    this.byOrigin.set(origin, nonce);
    return nonce;
  }

  /** Forgets every nonce (e.g. on sign-out); servers will simply challenge again. */
  clear(): void {
    this.byOrigin.clear();
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url, defaultBase()).origin;
  } catch {
    return null;
  }
}
