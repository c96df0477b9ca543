import { Injectable } from '@angular/core';

/** The claims of the ID token the app shows and keeps. */
export interface UserClaims {
  sub: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

/** An access token for one resource. */
export interface StoredAccessToken {
  accessToken: string;
  /** When it was received, epoch milliseconds (absent in sessions stored by older versions). */
  issuedAt?: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope?: string;
}

/**
 * The key under which `tokens` holds the token issued without a resource indicator: the one
 * from the code exchange, for the userinfo endpoint (and for the API of an identity provider
 * without resource indicators). Resource indicators are absolute URIs, so they never collide.
 */
export const DEFAULT_RESOURCE = '';

/** A signed-in session. */
export interface Session {
  /** RFC 7638 thumbprint of the DPoP key every token here is bound to. */
  jkt: string;
  /** The newest refresh token (the server may rotate it on every use). */
  refreshToken?: string;
  idToken: string;
  user: UserClaims;
  /** Access tokens by resource indicator (`DEFAULT_RESOURCE` for the sign-in token). */
  tokens: Record<string, StoredAccessToken>;
  /**
   * `Bearer` for a session of the walkthrough's bearer client (`clientId`): its tokens are
   * unbound and go out as `Authorization: Bearer`. Absent: a DPoP session of the app's client.
   */
  tokenType?: 'Bearer';
  /** The client the session belongs to, when it is not the configured `clientId`. */
  clientId?: string;
}

export const SESSION_KEY = 'dpop-lab.session';

/**
 * Keeps the session in `localStorage` under one key.
 *
 * Why storing the refresh token there is acceptable here: every token in the session is
 * DPoP-bound (`cnf.jkt`) to the key pair in IndexedDB, whose private key is non-extractable.
 * A script that copies this entry gets tokens it cannot use from anywhere else, because it
 * cannot produce proofs without that key. (An attacker who runs script *in* this page can
 * still use the key while the page is open — DPoP limits theft, not XSS.) Keeping the session
 * in `localStorage` means a reload keeps the user signed in with the same key.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  /** The stored session, or `null` when there is none or it is unreadable. */
  load(): Session | null {
    const raw = localStorage.getItem(SESSION_KEY);
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as Partial<Session>;
      if (
        typeof value.jkt === 'string' &&
        typeof value.idToken === 'string' &&
        typeof value.user?.sub === 'string' &&
        value.tokens !== null &&
        typeof value.tokens === 'object'
      ) {
        return value as Session;
      }
    } catch {
      // Unreadable: treated as no session.
    }
    localStorage.removeItem(SESSION_KEY);
    return null;
  }

  save(session: Session): void {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  }

  clear(): void {
    localStorage.removeItem(SESSION_KEY);
  }
}
