/**
 * Check 13 — the Bearer scheme is accepted only for unbound tokens of the bearer client.
 *
 * RFC 9449 §7.1: a DPoP-bound token (one with `cnf.jkt`) must be presented with the DPoP scheme
 * and a proof; accepting it as Bearer would throw away the sender constraint, so a stolen token
 * would work again. It is always refused here, whichever client it belongs to.
 *
 * An unbound token is accepted as Bearer (RFC 6750) only when it was issued to the walkthrough's
 * bearer client (`client_id`, RFC 9068 §2.2, or `azp`): the app's "plain bearer tokens" mode, which
 * shows what DPoP prevents. Every other client must use DPoP.
 *
 * This runs on the decoded, not yet verified, token so a refusal costs no signature work. It is
 * still sound for the accepted case: the caller verifies the signature of these same bytes
 * (check 11) before it answers, so the claims read here are the ones the issuer signed.
 */
import { decodeJwt, type JWTPayload } from 'jose';

import { BEARER_CLIENT_ID } from '../../config.ts';
import { invalidToken } from '../errors.ts';

export function refuseBearerToken(token: string): void {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    throw invalidToken(
      'The access token is not a JWT: send the token the authorization server issued for this API.',
    );
  }
  // Any confirmation claim (cnf.jkt; or another key binding) means sender-constrained.
  if (claims['cnf'] !== undefined) {
    throw invalidToken(
      'This access token is DPoP-bound (cnf.jkt) and was sent as Bearer: send it as ' +
        'Authorization: DPoP <token> with a DPoP proof signed by the bound key (RFC 9449 §7.1).',
    );
  }
  const clientId = claims['client_id'] ?? claims['azp'];
  if (clientId !== BEARER_CLIENT_ID) {
    throw invalidToken(
      `This API accepts unbound Bearer tokens only from the ${BEARER_CLIENT_ID} client: request ` +
        'the token with a DPoP proof at the token endpoint and send it as Authorization: DPoP ' +
        '<token> (RFC 9449 §5, §7.1).',
    );
  }
}
