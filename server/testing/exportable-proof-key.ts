/**
 * A proof key whose private half a test can read: the API's specs put it where it must never be
 * (a proof header's `jwk`) to see it refused. A real client's key is not extractable
 * (@dpop-lab/protocol's `createProofKey`), so this is a test fixture only.
 */
import { proofKeyOf, type ProofKey } from '@dpop-lab/protocol';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export async function exportableProofKey(
  algorithm = 'ES256',
): Promise<{ key: ProofKey; privateJwk: JWK }> {
  const pair = await generateKeyPair(algorithm, { extractable: true });
  return { key: await proofKeyOf(pair, algorithm), privateJwk: await exportJWK(pair.privateKey) };
}
