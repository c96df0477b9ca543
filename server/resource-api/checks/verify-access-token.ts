/**
 * A JWT access token is signed by the issuer this API trusts and has not expired: jose
 * `jwtVerify` checks the signature against the issuer's JWKS, the algorithm (allow-listed),
 * `iss` (exactly as configured, RFC 9068 §4), that `exp` is present and in the future, and for
 * the RFC 9068 shape the header `typ` `at+jwt` (readTokenShape has matched the other shapes'
 * `typ` already).
 *
 * The audience, the expiry (again), the binding and the scope are checked on every request by
 * their own checks, because the verified token is cached by its hash (../read-access-token.ts).
 *
 * Failures are invalid_token (401). If the issuer's keys cannot be fetched at all, that is not
 * the client's fault: 503, so a client does not throw away a good token.
 */
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

import { type AccessToken, accessTokenOf } from '../access-token.ts';
import { ACCESS_TOKEN_ALGORITHMS } from '../algorithms.ts';
import { invalidToken, quoteValue, ServiceUnavailableError } from '../errors.ts';
import type { TokenShape } from '../token-shapes.ts';

export interface AccessTokenExpectations {
  issuer: string;
  getKey: JWTVerifyGetKey;
  now: number;
}

export async function verifyAccessToken(
  token: string,
  shape: TokenShape,
  expected: AccessTokenExpectations,
): Promise<AccessToken> {
  try {
    const { payload } = await jwtVerify(token, expected.getKey, {
      issuer: expected.issuer,
      ...(shape === 'rfc9068' ? { typ: 'at+jwt' } : {}),
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      requiredClaims: ['exp'],
      currentDate: new Date(expected.now),
    });
    return accessTokenOf(payload, shape, payload.exp!);
  } catch (cause) {
    if (cause instanceof errors.JWTExpired) {
      const exp = cause.payload['exp'];
      const when = typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : '';
      throw invalidToken(`The access token expired${when}: refresh it and retry.`);
    }
    if (cause instanceof errors.JWTClaimValidationFailed) {
      if (cause.claim === 'iss') {
        throw invalidToken(
          `The access token was issued by ${quoteValue(cause.payload['iss'] ?? 'nobody')}; this API trusts only ${expected.issuer}: get a token there.`,
        );
      }
      throw invalidToken(
        `The access token claim ${cause.claim} is not acceptable (${cause.reason}): get a new access token.`,
      );
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
    if (cause instanceof ServiceUnavailableError) throw cause;
    // Timeouts, refused connections, a non-200 JWKS response: the issuer is unreachable.
    throw new ServiceUnavailableError(
      `This API could not fetch the signing keys of ${expected.issuer} to check the access token: try again later.`,
      { cause },
    );
  }
}
