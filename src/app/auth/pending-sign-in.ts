import { Injectable } from '@angular/core';

/** A sign-in started here and not finished yet: what the callback must check and use. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The app URL to return to after sign-in, e.g. `/users`. */
  returnUrl: string;
  /**
   * The thumbprint of the DPoP key the code is bound to (`dpop_jkt`); absent when the key is
   * memory-only and so cannot survive the trip to the authorization server.
   */
  jkt?: string;
  /** `Bearer`: a sign-in with the walkthrough's bearer client (`clientId`), no DPoP. */
  tokenType?: 'Bearer';
  clientId?: string;
}

export const PENDING_SIGN_IN_KEY = 'dpop-lab.pending-sign-in';

/**
 * Keeps the pending sign-in in `sessionStorage`: it survives the round trip to the
 * authorization server but not the tab, and `take()` removes it, so it is used once.
 */
@Injectable({ providedIn: 'root' })
export class PendingSignInStore {
  save(pending: PendingSignIn): void {
    sessionStorage.setItem(PENDING_SIGN_IN_KEY, JSON.stringify(pending));
  }

  /** Reads and removes the pending sign-in; `null` when there is none (or it is unreadable). */
  take(): PendingSignIn | null {
    const raw = sessionStorage.getItem(PENDING_SIGN_IN_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as Partial<PendingSignIn>;
      return typeof value.state === 'string' &&
        typeof value.nonce === 'string' &&
        typeof value.codeVerifier === 'string' &&
        typeof value.returnUrl === 'string' &&
        (value.jkt === undefined || typeof value.jkt === 'string')
        ? (value as PendingSignIn)
        : null;
    } catch {
      return null;
    }
  }

  clear(): void {
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
  }
}
