/**
 * Whom an access token speaks for: the client it was issued to and the user (its `sub`; with
 * client credentials, the client itself). That pair, not the proof key, is what the replay cache
 * shares out (./replay-cache.ts): a client can make as many keys, and get as many tokens bound to
 * them, as it likes, but it stays one client acting for one user (issue 19).
 *
 * A token that names neither client nor subject is its own principal (by its `jti`), so such
 * tokens of different callers never share one allowance; without a `jti` either they do.
 *
 * Before the issuer has said whom an opaque token speaks for, the request is the client
 * address's (addressPrincipalOf): what it records then counts against that address.
 *
 * The principal is a SHA-256 digest (base64url, 43 characters): fixed-size in memory and in Redis
 * key names whatever the issuer put in the claims, and free of Redis' hash-tag braces.
 */
import { hash } from 'node:crypto';

import { clientAddressKey } from '../authorization-server/client-address.ts';

const digest = (who: readonly string[]) => hash('sha256', JSON.stringify(who), 'base64url');

export function principalOf(
  clientId: string | undefined,
  subject: string | undefined,
  tokenId: unknown,
): string {
  const who =
    clientId === undefined && subject === undefined
      ? ['token', typeof tokenId === 'string' ? tokenId : '']
      : ['client', clientId ?? '', subject ?? ''];
  return digest(who);
}

/** The principal of requests from `address` (an IPv6 /64 as one) whose token is not read yet. */
export function addressPrincipalOf(address: string): string {
  return digest(['address', clientAddressKey(address)]);
}
