import type { Signal } from '@angular/core';

/** Who is signed in, from the ID token's claims (the API's access token cannot call userinfo). */
export interface SampleUser {
  subject: string;
  name?: string;
  email?: string;
}

/**
 * What the sample page needs of a sign-in library: each sample implements it with its library
 * and @dpop-lab/angular (`OAuthSession`, `OidcClientSession`). A failure rejects with an error
 * whose message the page shows.
 */
export abstract class SampleSession {
  /** The sign-in library's package name. */
  abstract readonly library: string;
  /** The signed-in user, or null. */
  abstract readonly user: Signal<SampleUser | null>;
  /** At start-up: completes the sign-in whose callback this page is, or finds the stored one. */
  abstract start(): Promise<void>;
  /** Leaves for the authorization server's login page. */
  abstract signIn(): Promise<void>;
  /** Trades the refresh token for new tokens now (normally done when the access token expires). */
  abstract refresh(): Promise<void>;
  /** Revokes the tokens, deletes the DPoP key and ends the session at the authorization server. */
  abstract signOut(): Promise<void>;
}

/** The user named by ID token claims; null without a `sub`. */
export function userOf(claims: Record<string, unknown> | null | undefined): SampleUser | null {
  const text = (name: string) => (typeof claims?.[name] === 'string' ? claims[name] : undefined);
  const subject = text('sub');
  if (!subject) return null;
  const name = text('name');
  const email = text('email');
  return { subject, ...(name ? { name } : {}), ...(email ? { email } : {}) };
}
