import { DpopResource } from './dpop-resource';

/**
 * An access token and the scheme it goes out with, for a token source that says so explicitly.
 *
 * - `DPoP` (what a plain string means): bound to the key; sent as `Authorization: DPoP` with a
 *   proof.
 * - `Bearer`: an unbound token the authorization server issued as `token_type: Bearer`
 *   (RFC 6750), e.g. a client registered without DPoP for comparison. Sent as
 *   `Authorization: Bearer` with no proof. The interceptor refuses to send a token that carries
 *   `cnf` this way: a DPoP-bound token is never downgraded.
 */
export interface DpopAccessToken {
  token: string;
  type: 'DPoP' | 'Bearer';
}

/**
 * Supplies the access token for an allow-listed resource; the app implements it (it owns
 * sign-in and refresh) and registers it with `withTokenSource()`.
 *
 * Returning `null` means "no token": the interceptor then sends the request untouched. A string
 * is a DPoP-bound token; return a `DpopAccessToken` to state the type explicitly.
 */
export abstract class DpopTokenSource {
  abstract getAccessToken(resource: DpopResource): Promise<string | DpopAccessToken | null>;
}

/** A token source's answer as a `DpopAccessToken` (a string is a DPoP token), or null. */
export function asDpopAccessToken(
  value: string | DpopAccessToken | null | undefined,
): DpopAccessToken | null {
  if (!value) return null;
  return typeof value === 'string' ? { token: value, type: 'DPoP' } : value;
}
