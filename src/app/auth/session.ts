/** The signed-in session and the pure rules about it. */

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
  /** When it was received, epoch milliseconds. */
  issuedAt: number;
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
  /** When this sign-in completed (epoch ms): tells a later sign-in from an earlier one. */
  signedInAt: number;
  /** The RFC 7638 thumbprint of the DPoP key every token here is bound to. */
  jkt: string;
  /**
   * Counts the changes of this sign-in (each refresh adds one), so a tab never takes an older
   * state for a newer one: that would bring back an expired token, or a refresh token the server
   * has rotated out (and would treat as stolen, RFC 9700 §4.14.2).
   */
  revision: number;
  /** The newest refresh token (the server may rotate it on every use). */
  refreshToken?: string;
  idToken: string;
  user: UserClaims;
  /** Access tokens by resource indicator (`DEFAULT_RESOURCE` for the sign-in token). */
  tokens: Record<string, StoredAccessToken>;
}

/** Whether a stored value is a whole session (an older version's, or a tampered one, is not). */
export function isSession(value: unknown): value is Session {
  const session = value as Partial<Session> | null;
  return (
    typeof session === 'object' &&
    session !== null &&
    typeof session.jkt === 'string' &&
    typeof session.signedInAt === 'number' &&
    typeof session.revision === 'number' &&
    typeof session.idToken === 'string' &&
    typeof session.user?.sub === 'string' &&
    typeof session.tokens === 'object' &&
    session.tokens !== null
  );
}

/**
 * An access token is refreshed when it has less than this left (milliseconds), or less than a
 * quarter of its lifetime for short-lived tokens (ACCESS_TOKEN_TTL=5 in tests).
 */
const REFRESH_MARGIN_MS = 30_000;
/** Lifetime assumed when the token response has no `expires_in` (seconds). */
const DEFAULT_EXPIRES_IN = 300;

/** What a token response gives a session (RFC 6749 §5.1). */
export interface IssuedToken {
  access_token: string;
  expires_in?: number;
  scope?: string;
}

export function storedToken(response: IssuedToken, now = Date.now()): StoredAccessToken {
  const expiresIn =
    typeof response.expires_in === 'number' && response.expires_in > 0
      ? response.expires_in
      : DEFAULT_EXPIRES_IN;
  return {
    accessToken: response.access_token,
    issuedAt: now,
    expiresAt: now + expiresIn * 1000,
    ...(response.scope ? { scope: response.scope } : {}),
  };
}

/**
 * The session's token for `resource` if it is not about to expire: more than 30 s left, or for a
 * short-lived token more than a quarter of its lifetime, so a 5 s token is used for about 4 s.
 */
export function freshToken(session: Session, resource: string | undefined): string | null {
  const token = session.tokens[resource ?? DEFAULT_RESOURCE];
  if (!token) return null;
  const margin = Math.min(REFRESH_MARGIN_MS, (token.expiresAt - token.issuedAt) / 4);
  return token.expiresAt - Date.now() > margin ? token.accessToken : null;
}

/** Whether `candidate` is a later sign-in than `current`, or a later state of the same one. */
export function isNewer(candidate: Session, current: Session | null): boolean {
  if (!current) return true;
  if (candidate.signedInAt !== current.signedInAt) return candidate.signedInAt > current.signedInAt;
  return candidate.revision > current.revision;
}

/** The claims worth keeping: who the user is, not the token's plumbing. */
export function pickUser(claims: UserClaims): UserClaims {
  const user: UserClaims = { sub: claims.sub };
  for (const claim of ['name', 'preferred_username', 'email', 'email_verified']) {
    if (claims[claim] !== undefined) user[claim] = claims[claim];
  }
  return user;
}

/** The name to greet the user with: the ID token's name, else email, else `sub`. */
export function displayNameOf(user: UserClaims | null): string | null {
  return user ? (user.name ?? user.email ?? user.sub) : null;
}
