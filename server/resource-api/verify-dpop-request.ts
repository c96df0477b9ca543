/**
 * The verification pipeline for a request to a DPoP-protected resource (RFC 9449 §4.3, §7;
 * RFC 9068 §4). Each step is one function in ./checks/, in a file of the same name, which throws
 * a ResourceAccessError (./errors.ts) to refuse the request. This list is the order they run in:
 *
 *   readCredentials              one Authorization header, scheme DPoP or Bearer
 *     Bearer scheme (the walkthrough's plain-bearer path, RFC 6750; no proof):
 *     readUnverifiedTokenClaims  the token is a JWT
 *     checkBearerTokenIsUnbound  a DPoP-bound token (cnf) is refused as Bearer
 *     checkBearerClient          the token belongs to the bearer client
 *     verifyAccessToken          issuer's signature, typ at+jwt, iss, aud, exp
 *     checkScope                 the token's scope has the resource's scope
 *   readSingleProof              exactly one DPoP header
 *   checkProofSize               the proof is not over the length limit
 *   readProofHeader              one compact JWS, typ dpop+jwt, allow-listed asymmetric alg, jwk
 *   checkProofKeyIsPublic        the jwk is an asymmetric public key
 *   readProofClaims              jti, htm, htu, iat, ath present with the right types
 *   checkProofMethod             htm = the request method
 *   checkProofUri                htu = API_PUBLIC_URL + path, normalised
 *   checkProofNonce              a nonce this API issued, still current (when nonces are on)
 *   checkProofAge                iat within ±window
 *   checkAccessTokenHash         ath = base64url(SHA-256(access token))
 *   verifyProofSignature         the proof's signature verifies with its jwk
 *   verifyAccessToken            issuer's signature, typ at+jwt, iss, aud, exp
 *   checkTokenBinding            cnf.jkt = thumbprint of the proof jwk
 *   checkScope                   the token's scope has the resource's scope
 *   recordProofUse               jti not seen before (atomic insert)
 *
 * Why this order: cheap checks first, so a hostile request is refused before any signature work;
 * then the asymmetric verifications; then the scope; and the replay-cache insert last, so that
 * only a request that passed everything else can use up its jti.
 *
 * The nonce comes before the age on purpose: a proof with a wrong iat and no valid nonce gets
 * `use_dpop_nonce` and a fresh nonce (RFC 9449 §11.1), and a proof whose nonce is valid but whose
 * iat is still out of the window is invalid_dpop_proof, because a new nonce cannot fix a wrong
 * clock.
 */
import type { IncomingMessage } from 'node:http';

import type { JWTVerifyGetKey } from 'jose';

import type { WorldConfig } from '../config.ts';
import { checkAccessTokenHash } from './checks/check-access-token-hash.ts';
import { checkBearerClient } from './checks/check-bearer-client.ts';
import { checkBearerTokenIsUnbound } from './checks/check-bearer-token-is-unbound.ts';
import { checkProofAge } from './checks/check-proof-age.ts';
import { checkProofKeyIsPublic } from './checks/check-proof-key-is-public.ts';
import { checkProofMethod } from './checks/check-proof-method.ts';
import { checkProofNonce } from './checks/check-proof-nonce.ts';
import { checkProofSize } from './checks/check-proof-size.ts';
import { checkProofUri } from './checks/check-proof-uri.ts';
import { checkScope } from './checks/check-scope.ts';
import { checkTokenBinding } from './checks/check-token-binding.ts';
import { readCredentials } from './checks/read-credentials.ts';
import { readProofClaims } from './checks/read-proof-claims.ts';
import { readProofHeader } from './checks/read-proof-header.ts';
import { readSingleProof } from './checks/read-single-proof.ts';
import { readUnverifiedTokenClaims } from './checks/read-unverified-token-claims.ts';
import { recordProofUse } from './checks/record-proof-use.ts';
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
  /** The one client whose unbound tokens are accepted with the Bearer scheme. */
  bearerClientId: string;
  now: () => number;
}

/** Resolves with the verified access token's claims, or rejects with a ResourceAccessError. */
export async function verifyDpopRequest(
  req: RequestLike,
  ctx: VerificationContext,
): Promise<AccessTokenClaims> {
  const credentials = readCredentials(req.headersDistinct['authorization']);
  if (credentials.scheme === 'Bearer') return verifyBearerRequest(credentials.token, ctx);

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
  await checkTokenBinding(accessToken.cnf, header.jwk);
  checkScope(accessToken.scope, ctx.requiredScope);

  await recordProofUse(
    ctx.replayCache,
    { jti: claims.jti, htu, iat: claims.iat },
    ctx.now(),
    ctx.proofWindowSeconds,
  );
  return accessToken;
}

/**
 * The walkthrough's plain-bearer path (RFC 6750): only an unbound token of the bearer client gets
 * past the first checks, and it is then verified like any access token. No proof, no binding, no
 * replay check — which is exactly why such a token works for anyone who copies it.
 */
async function verifyBearerRequest(
  token: string,
  ctx: VerificationContext,
): Promise<AccessTokenClaims> {
  const unverified = readUnverifiedTokenClaims(token);
  checkBearerTokenIsUnbound(unverified);
  checkBearerClient(unverified, ctx.bearerClientId);
  const accessToken = await verifyAccessToken(token, {
    issuer: ctx.config.issuer,
    audience: ctx.config.apiResource,
    getKey: ctx.getIssuerKey,
    now: ctx.now(),
  });
  checkScope(accessToken.scope, ctx.requiredScope);
  return accessToken;
}
