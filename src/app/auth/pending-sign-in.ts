import { Injectable } from '@angular/core';

/** A sign-in started here and not finished yet: what the callback must check and use. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The app URL to return to after sign-in, e.g. `/users`. */
  returnUrl: string;
  /**
   * The thumbprint the authorization code is bound to (`dpop_jkt`, RFC 9449 §10): the callback
   * checks that this key is still stored. Absent when there is no key to survive the redirect
   * (a memory-only key).
   */
  dpopJkt?: string;
}

export const PENDING_SIGN_IN_KEY = 'dpop-lab.pending-sign-in';

/**
 * Keeps the pending sign-in in `sessionStorage`: it survives the round trip to the authorization
 * server but not the tab, and `take()` removes it, so it is used once. The app's sign-in has the
 * injected one; the bearer comparison keeps its own under another key (`under`).
 */
@Injectable({ providedIn: 'root' })
export class PendingSignInStore {
  private key = PENDING_SIGN_IN_KEY;

  /** A store of its own, under `key`. */
  static under(key: string): PendingSignInStore {
    const store = new PendingSignInStore();
    store.key = key;
    return store;
  }

  save(pending: PendingSignIn): void {
    sessionStorage.setItem(this.key, JSON.stringify(pending));
  }

  /** Reads and removes the pending sign-in; `null` when there is none (or it is unreadable). */
  take(): PendingSignIn | null {
    const raw = sessionStorage.getItem(this.key);
    sessionStorage.removeItem(this.key);
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as Partial<PendingSignIn>;
      return typeof value.state === 'string' &&
        typeof value.nonce === 'string' &&
        typeof value.codeVerifier === 'string' &&
        typeof value.returnUrl === 'string' &&
        (value.dpopJkt === undefined || typeof value.dpopJkt === 'string')
        ? (value as PendingSignIn)
        : null;
    } catch {
      return null;
    }
  }

  clear(): void {
    sessionStorage.removeItem(this.key);
  }
}
