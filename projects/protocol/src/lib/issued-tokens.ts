import { decodeJwt } from 'jose';

import { DpopProtocolError } from './protocol-error.ts';

/**
 * What an access token says about its binding, as its client can tell: a JWT access token names
 * the key it is bound to in `cnf.jkt` (RFC 9449 §6.1); an opaque (or encrypted) one says nothing,
 * and only its server can tell (§6.2).
 */
export type TokenBinding = { format: 'jwt'; jkt: string | undefined } | { format: 'opaque' };

export function tokenBindingOf(accessToken: string): TokenBinding {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(accessToken);
  } catch {
    return { format: 'opaque' };
  }
  const cnf = claims['cnf'];
  const jkt =
    typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  return { format: 'jwt', jkt: typeof jkt === 'string' ? jkt : undefined };
}

/**
 * Refuses a token response that is not bound to the key with `thumbprint` — a downgrade, which
 * whoever copies the tokens could replay:
 * - a `token_type` other than `DPoP` (compared case-insensitively, RFC 6749 §7.1): the server
 *   ignored the proof and issued bearer tokens (RFC 9449 §5);
 * - a JWT access token whose `cnf.jkt` is another key's, or missing (§6.1).
 * An opaque access token passes: only its server can tell what it is bound to.
 */
export function checkIssuedTokens(
  response: { access_token: string; token_type?: unknown },
  thumbprint: string,
): void {
  const type = response.token_type;
  if (typeof type !== 'string' || type.toLowerCase() !== 'dpop') {
    throw new DpopProtocolError(
      'bearer_token_issued',
      `The server issued ${typeof type === 'string' ? `${type} tokens` : 'tokens without a token_type'} ` +
        'instead of DPoP-bound ones, so they were refused. Enable DPoP for this client on the ' +
        'authorization server (e.g. "DPoP-bound access tokens" / dpop_bound_access_tokens).',
    );
  }
  const binding = tokenBindingOf(response.access_token);
  if (binding.format === 'opaque' || binding.jkt === thumbprint) return;
  throw new DpopProtocolError(
    'token_not_bound',
    binding.jkt
      ? `The access token is bound to another key (cnf.jkt ${binding.jkt}), not to this ` +
          `client's DPoP key (${thumbprint}), so it was refused. Sign in again.`
      : 'The access token is a JWT without cnf.jkt: it is not bound to this DPoP key, so anyone ' +
          'holding it could use it. It was refused: make the authorization server issue ' +
          'DPoP-bound tokens to this client.',
  );
}
