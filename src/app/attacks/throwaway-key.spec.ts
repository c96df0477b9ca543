import { calculateJwkThumbprint, EmbeddedJWK, JWK, jwtVerify } from 'jose';

import { signDpopProof } from '../dpop';
import { createThrowawayKey } from './throwaway-key';

describe('createThrowawayKey (the thief’s own key, real WebCrypto)', () => {
  it('signs well-formed proofs that verify with the public key they carry', async () => {
    const key = await createThrowawayKey();
    const proof = await signDpopProof(key, {
      method: 'GET',
      url: 'http://localhost:3001/api/users',
    });
    const { protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect((protectedHeader.jwk as JWK).d).toBeUndefined();
  });

  it('makes a new non-extractable key each time: another thumbprint than any other key', async () => {
    const [a, b] = await Promise.all([createThrowawayKey(), createThrowawayKey()]);
    expect(a.privateKey.extractable).toBeFalse();
    expect(await calculateJwkThumbprint(a.publicJwk as JWK)).not.toBe(
      await calculateJwkThumbprint(b.publicJwk as JWK),
    );
  });
});
