/**
 * Signs one DPoP proof JWT (RFC 9449 §4.2): header `{ typ: 'dpop+jwt', alg, jwk }`, claims `jti`,
 * `htm`, `htu`, `iat`, and `ath` with an access token (§7) and `nonce` with a server nonce
 * (§8, §9). Only jose and WebCrypto, so it runs in Node and in a browser alike.
 *
 *   await signProof(key, { htm: 'GET', htu: url, accessToken, nonce })
 *
 * A verifier's tests bend the proof with the third argument instead of building JWS by hand:
 *
 *   await signProof(key, request, { header: { typ: undefined } })       // `undefined` removes
 *   await signProof(key, request, { claims: { htu: `${url}?q=1` } })     // any value, any type
 *   await signProof(key, request, { signWith: otherKey.privateKey })    // or an HMAC secret
 *   await signProof(key, request, { signWith: 'none' })                 // alg none, no signature
 */
import { CompactSign, type CompactJWSHeaderParameters, type CryptoKey } from 'jose';

import { athOf } from './ath-of.ts';
import { htuOf } from './htu-of.ts';
import type { ProofKey } from './proof-key.ts';
import { unsignedJws } from './unsigned-jws.ts';

export interface ProofRequest {
  /** The request's method as sent: methods are case-sensitive (RFC 9110 §9.1). */
  htm: string;
  /** The request's URL; query and fragment are dropped (htuOf). */
  htu: string | URL;
  /** The access token sent with the request: adds `ath`. */
  accessToken?: string | undefined;
  /** The server's latest `DPoP-Nonce`. */
  nonce?: string | undefined;
  /** Seconds since the epoch; default now. */
  iat?: number | undefined;
}

/** Deliberate faults, for tests of what a verifier refuses. A real client passes none. */
export interface ProofOverrides {
  /** Header members to set; `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Claims to set; `undefined` removes one. */
  claims?: Record<string, unknown>;
  /** Sign with another key or an HMAC secret instead of the key in the header, or not at all. */
  signWith?: CryptoKey | Uint8Array | 'none';
}

type Members = Record<string, unknown>;

function withChanges(members: Members, changes: Members = {}): Members {
  const changed = { ...members, ...changes };
  for (const [name, value] of Object.entries(changes))
    if (value === undefined) delete changed[name];
  return changed;
}

export async function signProof(
  key: ProofKey,
  request: ProofRequest,
  overrides: ProofOverrides = {},
): Promise<string> {
  const { signWith = key.privateKey } = overrides;
  const alg = signWith === 'none' ? 'none' : key.algorithm;
  const header = withChanges({ typ: 'dpop+jwt', alg, jwk: key.publicJwk }, overrides.header);
  const claims = withChanges(
    {
      jti: crypto.randomUUID(),
      htm: request.htm,
      htu: htuOf(request.htu),
      iat: request.iat ?? Math.floor(Date.now() / 1000),
      ...(request.accessToken ? { ath: await athOf(request.accessToken) } : {}),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    },
    overrides.claims,
  );
  if (signWith === 'none') return unsignedJws(header, claims);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header as CompactJWSHeaderParameters)
    .sign(signWith);
}
