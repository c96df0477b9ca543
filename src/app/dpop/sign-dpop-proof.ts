import type { DpopKey } from './dpop-key';
import { htuOf } from './dpop-urls';
import { jose } from './jose';

/** What one proof is for (RFC 9449 §4.2). */
export interface DpopProofFor {
  /** The HTTP method of the request; upper-cased into `htm`. */
  method: string;
  /** The request URL; `htu` drops its query and fragment (relative URLs use `document.baseURI`). */
  url: string;
  /** The access token sent with the proof: adds `ath` (RFC 9449 §4.2, §7.1). */
  accessToken?: string;
  /** The server's `DPoP-Nonce` (RFC 9449 §8, §9). */
  nonce?: string;
  /** Seconds since the epoch; default now by this device's clock. */
  iat?: number;
}

/**
 * Signs a DPoP proof JWT: header `{ typ: 'dpop+jwt', alg, jwk }`, claims `jti` (random, so no two
 * proofs are alike and a server can refuse a replay, §11.1), `htm`, `htu`, `iat`, and `ath` and
 * `nonce` when given. A pure function of its inputs: the interceptor, the attack lab (with a key
 * of its own) and tests use the same one.
 */
export async function signDpopProof(
  key: Pick<DpopKey, 'privateKey' | 'publicJwk' | 'algorithm'>,
  proof: DpopProofFor,
): Promise<string> {
  const { signProofJwt, hashToken } = await jose();
  const claims: Record<string, string> = {
    htm: proof.method.toUpperCase(),
    htu: htuOf(proof.url),
  };
  if (proof.accessToken !== undefined) claims['ath'] = await hashToken(proof.accessToken);
  if (proof.nonce !== undefined) claims['nonce'] = proof.nonce;
  return signProofJwt(key, claims, proof.iat ?? Math.floor(Date.now() / 1000));
}

/** `ath`: base64url of the SHA-256 of the ASCII access token (RFC 9449 §4.2). */
export async function athOf(accessToken: string): Promise<string> {
  return (await jose()).hashToken(accessToken);
}
