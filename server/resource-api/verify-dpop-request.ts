/**
 * The verification pipeline for a request to a DPoP-protected resource (RFC 9449 §4.3, §7;
 * RFC 9068 §4). Each step is one check in ./checks/, which throws a DpopError or TokenError.
 *
 * Order: cheap checks first, so a hostile request is refused before any signature work, then
 * the asymmetric verifications, then the scope, and the replay-cache insert last so that only
 * a request that passed everything else can use up its jti.
 *
 *    1  credentials present, one Authorization header, DPoP or Bearer      read-credentials
 *   13  Bearer scheme refused, except an unbound token of the bearer client  refuse-bearer-token
 *       (that one then takes the Bearer path: checks 11 and 14 only, no proof)
 *    2  exactly one DPoP header                                              read-single-proof
 *    -  proof length limit                                                   check-proof-size
 *    3  one compact JWS, typ dpop+jwt, allow-listed asymmetric alg, jwk      read-proof-header
 *   4a  jwk is an asymmetric public key                                      check-proof-key-is-public
 *    5  jti, htm, htu, iat, ath present with the right types                 read-proof-claims
 *   6a  htm = method                                                         check-proof-method
 *   6b  htu = API_PUBLIC_URL + path, normalised                              check-proof-uri
 *    8  nonce issued by this API, current (when nonces are on)              check-proof-nonce
 *    7  iat within ±window                                                   check-proof-age
 *   10  ath = base64url(SHA-256(access token))                               check-access-token-hash
 *   4b  proof signature verifies with its jwk                                verify-proof-signature
 *   11  access token: issuer's signature, typ at+jwt, iss, aud, exp         verify-access-token
 *   12  cnf.jkt = thumbprint of the proof jwk                                check-token-binding
 *   14  scope includes the resource's scope                                  check-scope
 *    9  jti not seen before (atomic insert)                                  record-proof-use
 *
 * The nonce (8) comes before the age (7) on purpose: a proof with a wrong iat and no valid nonce
 * gets `use_dpop_nonce` and a fresh nonce (RFC 9449 §11.1), and a proof whose nonce is valid but
 * whose iat is still out of the window is invalid_dpop_proof, because a new nonce cannot fix a
 * wrong clock.
 */
import type { IncomingMessage } from 'node:http';

import type { JWTVerifyGetKey } from 'jose';

import type { WorldConfig } from '../config.ts';
import { checkAccessTokenHash } from './checks/check-access-token-hash.ts';
import { checkProofAge } from './checks/check-proof-age.ts';
import { checkProofKeyIsPublic } from './checks/check-proof-key-is-public.ts';
import { checkProofMethod } from './checks/check-proof-method.ts';
import { checkProofNonce } from './checks/check-proof-nonce.ts';
import { checkProofSize } from './checks/check-proof-size.ts';
import { checkProofUri } from './checks/check-proof-uri.ts';
import { checkScope } from './checks/check-scope.ts';
import { checkTokenBinding } from './checks/check-token-binding.ts';
import { readCredentials } from './checks/read-credentials.ts';
import { readProofClaims, type DpopProofClaims } from './checks/read-proof-claims.ts';
import { readProofHeader } from './checks/read-proof-header.ts';
import { readSingleProof } from './checks/read-single-proof.ts';
import { recordProofUse } from './checks/record-proof-use.ts';
import { refuseBearerToken } from './checks/refuse-bearer-token.ts';
import { verifyAccessToken, type AccessTokenClaims } from './checks/verify-access-token.ts';
import { verifyProofSignature } from './checks/verify-proof-signature.ts';
import type { DpopNonces } from './dpop-nonce.ts';
import { expectedHtu, requestPath } from './http-uri.ts';
import type { ReplayCache } from './replay-cache.ts';

/** What the pipeline reads from a request: method, target and the headers one line at a time. */
export type RequestLike = Pick<IncomingMessage, 'method' | 'url' | 'headersDistinct'>;

export interface VerificationContext {
  config: Pick<WorldConfig, 'issuer' | 'apiPublicUrl' | 'apiResource'>;
  /** The scope the requested resource needs. */
  requiredScope: string;
  getIssuerKey: JWTVerifyGetKey;
  replayCache: ReplayCache;
  /** The API's nonces, or `undefined` when nonces are off. */
  nonces: DpopNonces | undefined;
  /** Accepted distance of `iat` from the server clock, in seconds. */
  proofWindowSeconds: number;
  maxProofLength: number;
  now: () => number;
}

export interface VerifiedRequest {
  accessToken: AccessTokenClaims;
  /** The verified proof; absent for an unbound Bearer token of the bearer client. */
  proof?: DpopProofClaims;
  /** RFC 7638 thumbprint of the proof key, equal to the token's cnf.jkt; absent for Bearer. */
  jkt?: string;
}

export async function verifyDpopRequest(
  req: RequestLike,
  ctx: VerificationContext,
): Promise<VerifiedRequest> {
  const credentials = readCredentials(req.headersDistinct['authorization']);
  if (credentials.scheme === 'Bearer') {
    refuseBearerToken(credentials.token);
    return verifyBearerRequest(credentials.token, ctx);
  }

  const proof = readSingleProof(req.headersDistinct['dpop']);
  checkProofSize(proof, ctx.maxProofLength);
  const header = readProofHeader(proof);
  checkProofKeyIsPublic(header.jwk);
  const claims = readProofClaims(proof);

  const htu = expectedHtu(ctx.config.apiPublicUrl, requestPath(req.url));
  checkProofMethod(claims.htm, req.method ?? '');
  checkProofUri(claims.htu, htu);
  if (ctx.nonces) checkProofNonce(claims.nonce, ctx.nonces);
  const now = ctx.now();
  checkProofAge(claims.iat, now, ctx.proofWindowSeconds);
  checkAccessTokenHash(claims.ath, credentials.token);

  await verifyProofSignature(proof);
  const accessToken = await verifyAccessToken(credentials.token, {
    issuer: ctx.config.issuer,
    audience: ctx.config.apiResource,
    getKey: ctx.getIssuerKey,
    now,
  });
  const jkt = await checkTokenBinding(accessToken.cnf, header.jwk);
  checkScope(accessToken.scope, ctx.requiredScope);

  await recordProofUse(
    ctx.replayCache,
    { jti: claims.jti, htu, iat: claims.iat },
    ctx.now(),
    ctx.proofWindowSeconds,
  );
  return { accessToken, proof: claims, jkt };
}

/**
 * The walkthrough's plain-bearer path (RFC 6750), reached only for an unbound token of the bearer
 * client (check 13): the token's signature, issuer, audience and expiry (11) and its scope (14).
 * No proof, no binding, no replay check — which is exactly why such a token works for anyone who
 * copies it.
 */
async function verifyBearerRequest(
  token: string,
  ctx: VerificationContext,
): Promise<VerifiedRequest> {
  const accessToken = await verifyAccessToken(token, {
    issuer: ctx.config.issuer,
    audience: ctx.config.apiResource,
    getKey: ctx.getIssuerKey,
    now: ctx.now(),
  });
  checkScope(accessToken.scope, ctx.requiredScope);
  return { accessToken };
}
