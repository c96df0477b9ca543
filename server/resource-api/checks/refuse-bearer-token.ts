/**
 * Check 13 — tokens sent with the Bearer scheme are refused.
 *
 * RFC 9449 §7.1: a DPoP-bound token (one with `cnf.jkt`) must be presented with the DPoP scheme
 * and a proof; accepting it as Bearer would throw away the sender constraint, so a stolen token
 * would work again. Unbound bearer tokens are refused as well for now: this API accepts only
 * sender-constrained tokens. The token is only decoded, never trusted: whatever it says, the
 * answer is a refusal, so no signature work is spent on it.
 */
import { decodeJwt } from 'jose';

import { invalidToken } from '../errors.ts';

export function refuseBearerToken(token: string): never {
  let cnf: unknown;
  try {
    cnf = decodeJwt(token)['cnf'];
  } catch {
    throw invalidToken(
      'The access token is not a JWT: send the token the authorization server issued for this API.',
    );
  }
  const jkt =
    typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  if (jkt !== undefined) {
    throw invalidToken(
      'This access token is DPoP-bound (cnf.jkt) and was sent as Bearer: send it as ' +
        'Authorization: DPoP <token> with a DPoP proof signed by the bound key (RFC 9449 §7.1).',
    );
  }
  throw invalidToken(
    'This API accepts only DPoP-bound access tokens: request the token with a DPoP proof at ' +
      'the token endpoint and send it as Authorization: DPoP <token> (RFC 9449 §5, §7.1).',
  );
}
