/**
 * A DPoP-bound token is never accepted with the Bearer scheme (RFC 9449 §7.1): it must come as
 * `Authorization: DPoP` with a proof signed by the bound key. Accepting it as Bearer would throw
 * away the sender constraint, and a stolen token would work again. This holds whichever client
 * the token belongs to, the bearer client included.
 */
import type { AccessToken } from '../access-token.ts';
import { invalidToken } from '../errors.ts';

export function checkBearerTokenIsUnbound(token: AccessToken): void {
  // Any confirmation claim (cnf.jkt, or another key binding, RFC 7800) means sender-constrained.
  if (token.cnf !== undefined) {
    throw invalidToken(
      'This access token is DPoP-bound (cnf.jkt) and was sent as Bearer: send it as ' +
        'Authorization: DPoP <token> with a DPoP proof signed by the bound key (RFC 9449 §7.1).',
    );
  }
}
