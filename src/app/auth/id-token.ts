import { inject, Injectable, InjectionToken } from '@angular/core';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AuthError } from './auth-error';
import type { UserClaims } from './session';

/**
 * Makes the key resolver for a `jwks_uri`. The default fetches and caches the server's JWKS
 * (`createRemoteJWKSet`); tests provide a local key set instead.
 */
export const JWKS_RESOLVER = new InjectionToken<(jwksUri: string) => JWTVerifyGetKey>(
  'JWKS_RESOLVER',
  { providedIn: 'root', factory: () => (jwksUri) => createRemoteJWKSet(new URL(jwksUri)) },
);

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  jwksUri: string;
  /** The nonce sent on the authorization request; `undefined` for ID tokens from a refresh. */
  nonce: string | undefined;
}

/** Clock skew accepted on `exp`/`iat`/`nbf`, in seconds. */
const CLOCK_TOLERANCE = 60;

/**
 * Validates ID tokens (OpenID Connect Core §3.1.3.7): signature by the issuer's JWKS, `iss`,
 * `aud` contains the client (and `azp` is the client when there are several audiences),
 * `exp`, and the `nonce` equals the one this app sent.
 */
@Injectable({ providedIn: 'root' })
export class IdTokenValidator {
  private readonly resolverFor = inject(JWKS_RESOLVER);
  private readonly resolvers = new Map<string, JWTVerifyGetKey>();

  async validate(idToken: string, expected: IdTokenExpectations): Promise<UserClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.keys(expected.jwksUri), {
        issuer: expected.issuer,
        audience: expected.clientId,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE,
      }));
    } catch (error) {
      throw new AuthError('invalid_id_token', `The ID token was refused: ${explain(error)}`, {
        cause: error,
      });
    }
    if (
      Array.isArray(payload.aud) &&
      payload.aud.length > 1 &&
      payload['azp'] !== expected.clientId
    ) {
      throw new AuthError(
        'invalid_id_token',
        'The ID token was refused: it has several audiences and "azp" is not this client.',
      );
    }
    if (expected.nonce !== undefined && payload['nonce'] !== expected.nonce) {
      throw new AuthError(
        'invalid_id_token',
        'The ID token was refused: its "nonce" does not match the one this sign-in sent (a replayed or injected response?).',
      );
    }
    return payload as UserClaims;
  }

  private keys(jwksUri: string): JWTVerifyGetKey {
    let resolver = this.resolvers.get(jwksUri);
    if (!resolver) {
      resolver = this.resolverFor(jwksUri);
      this.resolvers.set(jwksUri, resolver);
    }
    return resolver;
  }
}

function explain(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    // A fresh ID token that looks expired usually means this device's clock is ahead.
    return `it has expired ("exp" is in the past) — or this device's clock is wrong (it reads ${new Date().toISOString()}).`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the "${error.claim}" claim is wrong (${error.reason}): ${error.message}.`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return "its signature does not verify with the server's keys.";
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'none of the server\'s keys (jwks_uri) matches its "kid".';
  }
  if (error instanceof errors.JOSEError) return `${error.message}.`;
  return error instanceof Error ? error.message : String(error);
}
