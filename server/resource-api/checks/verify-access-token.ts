/**
 * The access token is a JWT access token (RFC 9068) from the issuer this API trusts,
 * meant for this API, and not expired: jose `jwtVerify` checks the signature against the
 * issuer's JWKS, the header `typ` `at+jwt` (RFC 9068 §4: so an ID token or another JWT cannot be
 * passed off as an access token), `iss`, `aud` (RFC 8707 resource), `exp`, and that the
 * algorithm is allow-listed.
 *
 * Failures are invalid_token (401). If the issuer's keys cannot be fetched at all, that is not
 * the client's fault: 503, so a client does not throw away a good token.
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

import { ACCESS_TOKEN_ALGORITHMS } from '../algorithms.ts';
import { invalidToken, quoteValue, ServiceUnavailableError } from '../errors.ts';

export interface AccessTokenClaims extends JWTPayload {
  scope?: unknown;
  client_id?: unknown;
  cnf?: unknown;
}

export interface AccessTokenExpectations {
  issuer: string;
  /** The API's resource indicator; must be in `aud`. */
  audience: string;
  getKey: JWTVerifyGetKey;
  now: number;
}

function describeClaimFailure(
  failure: errors.JWTClaimValidationFailed,
  expected: AccessTokenExpectations,
): string {
  const payload = failure.payload;
  switch (failure.claim) {
    case 'typ':
      return `The access token is not a JWT access token (header typ must be 'at+jwt', RFC 9068 §4): send the access token the authorization server issued for ${expected.audience}.`;
    case 'iss':
      return `The access token was issued by ${quoteValue(payload['iss'] ?? 'nobody')}; this API trusts only ${expected.issuer}: get a token there.`;
    case 'aud':
      return `The access token is not meant for this API (aud must include ${expected.audience}): request it with resource=${expected.audience} (RFC 8707).`;
    default:
      return `The access token claim ${failure.claim} is not acceptable (${failure.reason}): get a new access token.`;
  }
}

export async function verifyAccessToken(
  token: string,
  expected: AccessTokenExpectations,
): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify<AccessTokenClaims>(token, expected.getKey, {
      issuer: expected.issuer,
      audience: expected.audience,
      typ: 'at+jwt',
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      requiredClaims: ['exp'],
      currentDate: new Date(expected.now),
    });
    return payload;
  } catch (cause) {
    if (cause instanceof errors.JWTExpired) {
      const exp = cause.payload['exp'];
      const when = typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : '';
      throw invalidToken(`The access token expired${when}: refresh it and retry.`);
    }
    if (cause instanceof errors.JWTClaimValidationFailed) {
      throw invalidToken(describeClaimFailure(cause, expected));
    }
    if (
      cause instanceof errors.JWSSignatureVerificationFailed ||
      cause instanceof errors.JWKSNoMatchingKey
    ) {
      throw invalidToken(
        `The access token signature does not verify with the keys of ${expected.issuer}: get a token from that issuer.`,
      );
    }
    if (cause instanceof errors.JOSEAlgNotAllowed) {
      throw invalidToken(
        `The access token is signed with an algorithm this API does not accept: accepted are ${ACCESS_TOKEN_ALGORITHMS.join(', ')}.`,
      );
    }
    if (
      cause instanceof errors.JWSInvalid ||
      cause instanceof errors.JWTInvalid ||
      cause instanceof errors.JOSENotSupported ||
      cause instanceof errors.JWKSMultipleMatchingKeys
    ) {
      throw invalidToken(
        'The access token is not a well-formed signed JWT: send the token the authorization server issued for this API.',
      );
    }
    // Timeouts, refused connections, a non-200 JWKS response: the issuer is unreachable.
    throw new ServiceUnavailableError(
      `This API could not fetch the signing keys of ${expected.issuer} to check the access token: try again later.`,
      { cause },
    );
  }
}
