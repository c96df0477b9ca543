/**
 * An access token as the checks see it, whatever its shape (./token-shapes.ts): read once from a
 * verified JWT or an introspection answer, then checked on every request, cached or not.
 */
import { clientOf, scopesOf, type TokenShape } from './token-shapes.ts';

export interface AccessToken {
  shape: TokenShape;
  /** `exp`, seconds since the epoch. */
  expiresAt: number;
  /** `aud`, as a list (a string or an array in the token). */
  audience: readonly string[];
  scopes: readonly string[];
  /** The client it was issued to (`client_id`, `azp` or `cid`). */
  clientId: string | undefined;
  /** The confirmation claim (RFC 7800, RFC 9449 §6): `undefined` for an unbound token. */
  cnf: unknown;
  subject: string | undefined;
}

/** Reads the claims of a verified token; `exp` has been checked to be a number. */
export function accessTokenOf(
  claims: Record<string, unknown>,
  shape: TokenShape,
  expiresAt: number,
): AccessToken {
  const aud = claims['aud'];
  return {
    shape,
    expiresAt,
    audience:
      typeof aud === 'string'
        ? [aud]
        : Array.isArray(aud)
          ? aud.filter((a) => typeof a === 'string')
          : [],
    scopes: scopesOf(claims, shape),
    clientId: clientOf(claims),
    cnf: claims['cnf'],
    subject: typeof claims['sub'] === 'string' ? claims['sub'] : undefined,
  };
}
