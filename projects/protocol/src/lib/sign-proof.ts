import { base64url, CompactSign, type CompactJWSHeaderParameters } from 'jose';

import { athOf } from './ath.ts';
import { htuOf } from './htu.ts';
import type { ProofKey } from './proof-key.ts';

/** What one proof is for (RFC 9449 §4.2). */
export interface ProofRequest {
  /** The request's method as sent: methods are case-sensitive (RFC 9110 §9.1). */
  htm: string;
  /** The request's absolute URL; `htu` drops its query and fragment. */
  htu: string | URL;
  /** The access token sent with the request: adds `ath` (§4.2, §7.1). */
  accessToken?: string | undefined;
  /** The server's latest `DPoP-Nonce` (§8, §9). */
  nonce?: string | undefined;
  /** Seconds since the epoch; default now by this clock. */
  iat?: number | undefined;
}

/**
 * Deliberate faults, for testing what a verifier refuses (a self-test, a server's own specs). A
 * real client passes none.
 */
export interface ProofFaults {
  /** Header members to set; `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Claims to set, of any type; `undefined` removes one. */
  claims?: Record<string, unknown>;
  /**
   * Sign with another key (keeping this key's `jwk` in the header), with an HMAC secret, or not at
   * all (`alg: none`, empty signature).
   */
  signWith?: ProofKey | Uint8Array | 'none';
}

/**
 * Signs a DPoP proof JWT: header `{ typ: 'dpop+jwt', alg, jwk }`, claims `jti` (random, so no two
 * proofs are alike and a server can refuse a replay, §11.1), `htm`, `htu`, `iat`, and `ath` and
 * `nonce` when given. A pure function of its inputs.
 */
export async function signProof(
  key: ProofKey,
  request: ProofRequest,
  faults: ProofFaults = {},
): Promise<string> {
  const { signWith = key } = faults;
  const alg =
    signWith === 'none' ? 'none' : signWith instanceof Uint8Array ? 'HS256' : signWith.algorithm;
  const header = withChanges({ typ: 'dpop+jwt', alg, jwk: key.publicJwk }, faults.header);
  const claims = withChanges(
    {
      jti: crypto.randomUUID(),
      htm: request.htm,
      htu: htuOf(request.htu),
      iat: request.iat ?? Math.floor(Date.now() / 1000),
      ...(request.accessToken === undefined ? {} : { ath: await athOf(request.accessToken) }),
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    },
    faults.claims,
  );
  if (signWith === 'none') return unsignedJws(header, claims);
  if (signWith instanceof Uint8Array) {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader(header as CompactJWSHeaderParameters)
      .sign(signWith);
  }
  return signWith.signJws(header as CompactJWSHeaderParameters, claims);
}

type Members = Record<string, unknown>;

function withChanges(members: Members, changes: Members = {}): Members {
  const changed = { ...members, ...changes };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete changed[name];
  }
  return changed;
}

/**
 * `base64url(header).base64url(payload).`: the shape of an `alg: none` JWS (RFC 7515 Appendix
 * A.5), which a JOSE library rightly refuses to make.
 */
function unsignedJws(header: Members, payload: Members): string {
  return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;
}
