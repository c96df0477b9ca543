import { Injectable } from '@angular/core';

import type { SignInModeName } from './session';

/** A sign-in started here and not finished yet: what the callback must check and use. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The app URL to return to after sign-in, e.g. `/users`. */
  returnUrl: string;
  mode: SignInModeName;
  /**
   * The thumbprint the authorization code is bound to (`dpop_jkt`, RFC 9449 §10): the callback
   * checks that this key is still stored. Absent when there is no key to survive the redirect
   * (a memory-only key, or the bearer mode).
   */
  dpopJkt?: string;
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
        (value.mode === 'DPoP' || value.mode === 'Bearer') &&
        (value.dpopJkt === undefined || typeof value.dpopJkt === 'string')
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
