import type { DpopKey } from '../dpop';

/** A fresh ES256 key pair, as a thief would make one: not the browser's, never stored. */
export async function createThrowawayKey(): Promise<
  Pick<DpopKey, 'privateKey' | 'publicJwk' | 'algorithm'>
> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: { kty, crv, x, y }, algorithm: 'ES256' };
}
