/**
 * An access token as the checks see it, whatever its shape (./token-shapes.ts): read once from a
 * verified JWT or an introspection answer, then checked on every request, cached or not.
 */
import { principalOf } from './principal.ts';
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
  /** The client + user it speaks for (./principal.ts): whose share of the replay cache it uses. */
  principal: string;
}

/** Reads the claims of a verified token; `exp` has been checked to be a number. */
export function accessTokenOf(
  claims: Record<string, unknown>,
  shape: TokenShape,
  expiresAt: number,
): AccessToken {
  const aud = claims['aud'];
  const clientId = clientOf(claims);
  const subject = typeof claims['sub'] === 'string' ? claims['sub'] : undefined;
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
    clientId,
    cnf: claims['cnf'],
    subject,
    principal: principalOf(clientId, subject, claims['jti']),
  };
}
