/**
 * An opaque access token is one the issuer says is active: its introspection answer (RFC 7662
 * §2.2) has `active: true` and an `exp`, and its `iss`, when given, is the issuer this API trusts.
 * The answer's `aud`, `scope` and `cnf` are then checked like a JWT's claims (checkTokenAudience,
 * checkScope, checkTokenBinding: RFC 9449 §6.2 puts the key binding in the answer as `cnf.jkt`).
 *
 * `active: false` means expired, revoked, unknown, or not the API's to see: invalid_token, and
 * the client gets a new token. The answer is read here; the call (and a 503 when it fails) is
 * ../introspection.ts.
 */
import { type AccessToken, accessTokenOf } from '../access-token.ts';
import { invalidToken, quoteValue } from '../errors.ts';
import type { Introspect } from '../introspection.ts';

export async function readIntrospectedToken(
  token: string,
  introspect: Introspect,
  issuer: string,
): Promise<AccessToken> {
  const answer = await introspect(token);
  if (answer['active'] !== true) {
    throw invalidToken(
      `${issuer} says this access token is not active (expired, revoked, or not meant for this API): get a new access token.`,
    );
  }
  const exp = answer['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw invalidToken(
      `${issuer}'s introspection answer for this token has no exp, so this API cannot tell how long it may trust it: configure the issuer to return exp.`,
    );
  }
  if (answer['iss'] !== undefined && answer['iss'] !== issuer) {
    throw invalidToken(
      `The access token was issued by ${quoteValue(answer['iss'])}; this API trusts only ${issuer}: get a token there.`,
    );
  }
  return accessTokenOf(answer, 'opaque', exp);
}
