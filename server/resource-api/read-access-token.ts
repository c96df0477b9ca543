/**
 * The access token's verified claims, whatever its shape: from the cache of verified tokens by
 * its hash (./access-token-cache.ts), else
 *
 *   readTokenShape         a JWT of an admitted shape, or an opaque token when admitted
 *   verifyAccessToken      a JWT: the issuer's signature, typ, iss, exp
 *   IntrospectionGate      an opaque token: the issuer's introspection answer, active, iss, exp,
 *                          asked only within the limits of ./introspection-gate.ts
 *
 * and then cached: a JWT until its `exp` or until the issuer's keys change, an introspection
 * answer for at most `introspectionMaxAgeMs` as well. Refusals and failures are never cached here
 * (inactive introspection answers are, briefly, by the gate). The checks that follow
 * (verify-dpop-request.ts) run on every request, cached or not.
 */
import type { AccessToken } from './access-token.ts';
import type { AccessTokenCache } from './access-token-cache.ts';
import { readTokenShape } from './checks/read-token-shape.ts';
import { verifyAccessToken } from './checks/verify-access-token.ts';
import type { IntrospectionCaller, IntrospectionGate } from './introspection-gate.ts';
import type { TokenShape } from './token-shapes.ts';
import type { TrustedIssuer } from './trusted-issuer.ts';

export interface AccessTokenSource {
  issuer: TrustedIssuer;
  /** The API's audience (API_AUDIENCE), named when a token is not for it. */
  audience: string;
  shapes: readonly TokenShape[];
  introspection: IntrospectionGate;
  cache: AccessTokenCache;
  /** How long an introspection answer is trusted (default 30 s). */
  introspectionMaxAgeMs: number;
}

export async function readAccessToken(
  token: string,
  /** base64url(SHA-256(token)): the proof's `ath` once checked, or computed for Bearer. */
  hash: string,
  source: AccessTokenSource,
  nowMs: number,
  caller: IntrospectionCaller,
): Promise<AccessToken> {
  const version = source.issuer.keysVersion();
  const cached = source.cache.get(hash, nowMs, version);
  if (cached) return cached;

  const shape = readTokenShape(token, source.shapes, source.audience);
  if (shape === 'opaque') {
    const known = source.cache.knows(hash, nowMs);
    const introspected = await source.introspection.read(token, hash, caller, { nowMs, known });
    source.cache.set(hash, introspected, version, nowMs + source.introspectionMaxAgeMs);
    return introspected;
  }
  const verified = await verifyAccessToken(token, shape, {
    issuer: source.issuer.issuer,
    getKey: source.issuer.getKey,
    now: nowMs,
  });
  // Filed under the version read before verifying: if the keys changed meanwhile (a key was
  // dropped), the entry is stale at once and the token is verified again with the new keys.
  source.cache.set(hash, verified, version);
  return verified;
}
