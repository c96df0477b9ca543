/**
 * The claims of an access token sent with the Bearer scheme, decoded but not yet verified, so the
 * Bearer rules (check-bearer-token-is-unbound.ts, check-bearer-client.ts) refuse a token before
 * any signature work. That is sound for the token they let through: verifyAccessToken checks the
 * signature of these same bytes before the API answers, so the claims read here are the ones the
 * issuer signed.
 */
import { decodeJwt, type JWTPayload } from 'jose';

import { invalidToken } from '../errors.ts';

export function readUnverifiedTokenClaims(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    throw invalidToken(
      'The access token is not a JWT: send the token the authorization server issued for this API.',
    );
  }
}
