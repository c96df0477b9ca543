/**
 * The verification pipeline for a request to a DPoP-protected resource (RFC 9449 §4.3, §7;
 * RFC 9068 §4; RFC 7662). Each step is one function in ./checks/, in a file of the same name,
 * which throws a ResourceAccessError (./errors.ts) to refuse the request. This list is the order
 * they run in:
 *
 *   readCredentials              one Authorization header, scheme DPoP or Bearer
 *     Bearer scheme (the walkthrough's plain-bearer path, RFC 6750; no proof):
 *     checkBearerAdmitted        Bearer is on (the embedded issuer, or API_BEARER=on)
 *     readAccessToken            the token's verified claims (cached by its hash; see below)
 *     checkTokenExpiry           exp in the future
 *     checkTokenAudience         aud includes the API's audience
 *     checkBearerTokenIsUnbound  a DPoP-bound token (cnf) is refused as Bearer
 *     checkBearerClient          the token belongs to the bearer client
 *     checkScope                 the token's scope has the resource's scope
 *   readSingleProof              exactly one DPoP header
 *   checkProofSize               the proof is not over the length limit
 *   readProofSegments            one compact JWS: three base64url parts
 *   a header seen before (./proof-header-cache.ts): its checks passed, its key is known;
 *   checkProofSignedParts        and this proof has a payload and a signature;
 *   else readNewProofKey:
 *     readProofHeader            typ dpop+jwt, allow-listed asymmetric alg, jwk, payload, signature
 *     checkProofKeyIsPublic      the jwk is an asymmetric public key
 *     checkProofKeyBounds        the jwk suits the alg: RSA e = 65537 and 2048–4096 bits, the alg's curve
 *     readProofKeyThumbprint     RFC 7638 thumbprint of the jwk
 *   readProofClaims              jti, htm, htu, iat, ath present with the right types
 *   checkProofMethod             htm = the request method
 *   checkProofUri                htu = API_PUBLIC_URL + path, normalised
 *   checkProofNonce              a nonce this API issued, still current (when nonces are on)
 *   checkProofAge                iat at most 300 s old and at most 15 s ahead
 *   readProofDeadline            until when the proof could be accepted: iat + 300 s, or the nonce's end
 *   checkAccessTokenHash         ath = base64url(SHA-256(access token))
 *   verifyProofSignature         the proof's signature verifies with its jwk (imported once per
 *                                header, which is then kept in the proof header cache)
 *   readAccessToken              the token's verified claims, cached by ath (./read-access-token.ts):
 *     readTokenShape             a JWT of an admitted shape (RFC 9068, Okta, Keycloak, Auth0), or opaque
 *     verifyAccessToken          a JWT: issuer's signature, typ, iss, exp
 *     IntrospectionGate          an opaque token: RFC 7662 answer active, iss, exp; before asking,
 *                                recordProofUse (`introspect`) so a copy cannot ask again, and the
 *                                limits on asking (./introspection-gate.ts)
 *   checkTokenExpiry             exp in the future (every request, cached token or not)
 *   checkTokenAudience           aud includes the API's audience
 *   checkTokenBinding            cnf.jkt = thumbprint of the proof jwk
 *   checkScope                   the token's scope has the resource's scope
 *   recordProofUse               jti not seen before (atomic insert), within the share of the
 *                                token's client + user (its principal) and their number of keys
 *
 * Why this order: cheap checks first, so a hostile request is refused before any signature work
 * (and the key's cost is bounded before it is imported); then the asymmetric verifications; then
 * the token's claims and the scope; and the replay-cache insert last, so that only a request that
 * passed everything else can use up its jti or its principal's share. (Before the issuer is asked
 * about an opaque token, the proof is also recorded for asking, under a key of its own and the
 * caller's address: a copy of it cannot make the API ask again, yet the proof is only used up for
 * acceptance last.)
 *
 * The nonce comes before the age on purpose: a proof with a wrong iat and no valid nonce gets
 * `use_dpop_nonce` and a fresh nonce (RFC 9449 §11.1), and a proof whose nonce is valid but whose
 * iat is still out of the window is invalid_dpop_proof, because a new nonce cannot fix a wrong
 * clock.
 */
import type { IncomingMessage } from 'node:http';

import type { WorldConfig } from '../config.ts';
import type { AccessToken } from './access-token.ts';
import { checkAccessTokenHash } from './checks/check-access-token-hash.ts';
import { checkBearerAdmitted } from './checks/check-bearer-admitted.ts';
import { checkBearerClient } from './checks/check-bearer-client.ts';
import { checkBearerTokenIsUnbound } from './checks/check-bearer-token-is-unbound.ts';
import { checkProofAge, type ProofWindow } from './checks/check-proof-age.ts';
import { checkProofKeyBounds } from './checks/check-proof-key-bounds.ts';
import { checkProofKeyIsPublic } from './checks/check-proof-key-is-public.ts';
import { checkProofMethod } from './checks/check-proof-method.ts';
import { checkProofNonce } from './checks/check-proof-nonce.ts';
import { checkProofSize } from './checks/check-proof-size.ts';
import { checkProofUri } from './checks/check-proof-uri.ts';
import { checkScope } from './checks/check-scope.ts';
import { checkTokenAudience } from './checks/check-token-audience.ts';
import { checkTokenBinding } from './checks/check-token-binding.ts';
import { checkTokenExpiry } from './checks/check-token-expiry.ts';
import { readAccessTokenHash } from './checks/read-access-token-hash.ts';
import { readCredentials } from './checks/read-credentials.ts';
import { readProofClaims } from './checks/read-proof-claims.ts';
import { readProofDeadline } from './checks/read-proof-deadline.ts';
import {
  checkProofSignedParts,
  readProofHeader,
  readProofSegments,
} from './checks/read-proof-header.ts';
import { readProofKeyThumbprint } from './checks/read-proof-key-thumbprint.ts';
import { readSingleProof } from './checks/read-single-proof.ts';
import { recordProofUse } from './checks/record-proof-use.ts';
import { verifyProofSignature } from './checks/verify-proof-signature.ts';
import type { DpopNonces } from './dpop-nonce.ts';
import { addressPrincipalOf } from './principal.ts';
import type { ProofHeaderCache, ProofKey } from './proof-header-cache.ts';
import { readAccessToken, type AccessTokenSource } from './read-access-token.ts';
import type { ReplayCache } from './replay-cache.ts';

/** What the pipeline reads from a request: method, the headers one line at a time, and the socket's address. */
export type RequestLike = Pick<IncomingMessage, 'method' | 'headersDistinct'> & {
  socket: { remoteAddress?: string | undefined };
};

export interface VerificationContext {
  config: Pick<WorldConfig, 'apiResource'>;
  /** The scope the requested resource needs. */
  requiredScope: string;
  /**
   * The `htu` a proof for the requested resource must carry: the API's public URL plus the
   * route's path (RFC 9449 §4.3 item 9), worked out once per route (`expectedHtu`).
   */
  htu: string;
  /** Where verified access tokens come from (the cache, the issuer's keys, introspection). */
  tokens: AccessTokenSource;
  /** Proof headers checked before, with their thumbprint and imported key. */
  proofHeaders: ProofHeaderCache;
  replayCache: ReplayCache;
  /** The API's nonces, or `undefined` when nonces are off. */
  nonces: DpopNonces | undefined;
  /** How far `iat` may lie behind and ahead of the server clock. */
  proofWindow: ProofWindow;
  maxProofLength: number;
  /** The one client whose unbound tokens are accepted with the Bearer scheme; `undefined`: none (DPoP only). */
  bearerClientId: string | undefined;
  now: () => number;
}

/** Resolves with the verified access token, or rejects with a ResourceAccessError. */
export async function verifyDpopRequest(
  req: RequestLike,
  ctx: VerificationContext,
): Promise<AccessToken> {
  const credentials = readCredentials(req.headersDistinct['authorization']);
  if (credentials.scheme === 'Bearer') return verifyBearerRequest(credentials.token, req, ctx);

  const proof = readSingleProof(req.headersDistinct['dpop']);
  checkProofSize(proof, ctx.maxProofLength);
  const segments = readProofSegments(proof);
  const knownKey = ctx.proofHeaders.get(segments[0]);
  if (knownKey) checkProofSignedParts(segments);
  const proofKey = knownKey ?? readNewProofKey(proof);
  const { thumbprint } = proofKey;
  const claims = readProofClaims(proof);

  checkProofMethod(claims.htm, req.method ?? '');
  checkProofUri(claims.htu, ctx.htu);
  if (ctx.nonces) checkProofNonce(claims.nonce, ctx.nonces);
  const now = ctx.now();
  checkProofAge(claims.iat, now, ctx.proofWindow);
  const deadline = readProofDeadline(claims.iat, claims.nonce, ctx.proofWindow, ctx.nonces);
  checkAccessTokenHash(claims.ath, credentials.token);

  await verifyProofSignature(proof, proofKey);
  if (!knownKey) ctx.proofHeaders.set(segments[0], proofKey);
  const address = req.socket.remoteAddress ?? '';
  const proofUse = { jti: claims.jti, htu: ctx.htu, deadline, jkt: thumbprint };
  // ath is now known to be the token's hash: the cache's key.
  const accessToken = await readAccessToken(credentials.token, claims.ath, ctx.tokens, now, {
    address,
    // Only the issuer can say whom an opaque token speaks for: until it has, the caller's address.
    beforeAsking: () =>
      recordProofUse(ctx.replayCache, {
        ...proofUse,
        principal: addressPrincipalOf(address),
        purpose: 'introspect',
      }),
  });
  checkTokenExpiry(accessToken.expiresAt, now);
  checkTokenAudience(accessToken.audience, ctx.config.apiResource);
  checkTokenBinding(accessToken.cnf, thumbprint);
  checkScope(accessToken.scopes, ctx.requiredScope);

  await recordProofUse(ctx.replayCache, { ...proofUse, principal: accessToken.principal });
  return accessToken;
}

/**
 * A header not seen before (not in the proof header cache): its syntax and typ, alg and jwk
 * (readProofHeader), a public key (checkProofKeyIsPublic) of the alg's kind and size
 * (checkProofKeyBounds), and its thumbprint (readProofKeyThumbprint).
 */
function readNewProofKey(proof: string): ProofKey {
  const { alg, jwk } = readProofHeader(proof);
  checkProofKeyIsPublic(jwk);
  checkProofKeyBounds(jwk, alg);
  return { alg, jwk, thumbprint: readProofKeyThumbprint(jwk) };
}

/**
 * The walkthrough's plain-bearer path (RFC 6750): only an unbound token of the bearer client gets
 * through, verified like any access token. No proof, no binding, no replay check — which is
 * exactly why such a token works for anyone who copies it.
 */
async function verifyBearerRequest(
  token: string,
  req: RequestLike,
  ctx: VerificationContext,
): Promise<AccessToken> {
  const bearerClientId = checkBearerAdmitted(ctx.bearerClientId);
  const now = ctx.now();
  const hash = readAccessTokenHash(token);
  const accessToken = await readAccessToken(token, hash, ctx.tokens, now, {
    address: req.socket.remoteAddress ?? '',
  });
  checkTokenExpiry(accessToken.expiresAt, now);
  checkTokenAudience(accessToken.audience, ctx.config.apiResource);
  checkBearerTokenIsUnbound(accessToken);
  checkBearerClient(accessToken, bearerClientId);
  checkScope(accessToken.scopes, ctx.requiredScope);
  return accessToken;
}
