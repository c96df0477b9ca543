import { signProof } from '@dpop-lab/protocol';
import { calculateJwkThumbprint, EmbeddedJWK, JWK, jwtVerify } from 'jose';

import { DPOP_SUPPORTED_ALGORITHMS } from '../dpop-config';
import { DpopError } from '../dpop-error';
import { checkKeySigns, describeKey } from './dpop-key';

/** The WebCrypto key of each algorithm, as DpopAlgorithms makes it (non-extractable). */
const GENERATE: Record<string, EcKeyGenParams | RsaHashedKeyGenParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
  PS256: {
    name: 'RSA-PSS',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  RS256: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
};

function generate(algorithm: string): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(GENERATE[algorithm], false, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;
}

/** A non-extractable WebCrypto key of this browser, described and signing proofs through the protocol package. */
describe('describeKey and checkKeySigns', () => {
  for (const algorithm of DPOP_SUPPORTED_ALGORITHMS) {
    it(`${algorithm}: the RFC 7638 thumbprint is jose's, the key signs, and its proofs verify`, async () => {
      const pair = await generate(algorithm);
      const key = await describeKey(pair);
      expect(key.algorithm).toBe(algorithm);
      expect(key.thumbprint).toBe(await calculateJwkThumbprint(key.publicJwk as JWK, 'sha256'));
      expect(await checkKeySigns(pair, key, 'read from IndexedDB')).toBe(key);
      const proof = await signProof(key, { htm: 'GET', htu: 'https://api.example.com/users?x=1' });
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
      expect(payload['htu']).toBe('https://api.example.com/users');
      expect(protectedHeader.jwk).toEqual(key.publicJwk);
      expect(pair.privateKey.extractable).toBeFalse();
    });
  }

  it('refuses a pair whose halves do not belong together, as a broken stored key', async () => {
    const pair = await generate('ES256');
    const other = await generate('ES256');
    const key = await describeKey(pair);
    const mixed = { privateKey: other.privateKey, publicKey: pair.publicKey };
    await expectAsync(checkKeySigns(mixed, key, 'read from IndexedDB')).toBeRejectedWith(
      jasmine.objectContaining({ code: 'key_storage_unusable' }),
    );
    const error = await checkKeySigns(mixed, key, 'read from IndexedDB').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).message).toContain('The DPoP key read from IndexedDB cannot sign');
  });
});
