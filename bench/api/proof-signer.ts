/**
 * Makes many DPoP proofs fast for the load generator: an ES256 key in node:crypto, the protected
 * header encoded once, one synchronous signature per proof (the same JWS the test fixture
 * server/resource-api/testing/proof-builder.ts makes with jose, without its per-call async work,
 * so 100,000 proofs take seconds, not a minute).
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

import { calculateJwkThumbprint, type JWK } from 'jose';

export interface ProofSigner {
  /** RFC 7638 thumbprint of the public key: the `cnf.jkt` of tokens bound to it. */
  jkt: string;
  proof(claims: { htu: string; accessToken: string; iat: number; nonce?: string }): string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function createProofSigner(): Promise<ProofSigner> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' }) as JWK;
  const jwk = { kty, crv, x, y };
  const header = b64({ typ: 'dpop+jwt', alg: 'ES256', jwk });
  const athCache = new Map<string, string>();
  const key: KeyObject = privateKey;
  return {
    jkt: await calculateJwkThumbprint(jwk),
    proof({ htu, accessToken, iat, nonce }) {
      let ath = athCache.get(accessToken);
      if (!ath) {
        ath = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
        athCache.set(accessToken, ath);
      }
      const claims: Record<string, unknown> = { jti: randomUUID(), htm: 'GET', htu, iat, ath };
      if (nonce !== undefined) claims['nonce'] = nonce;
      const input = `${header}.${b64(claims)}`;
      const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}
