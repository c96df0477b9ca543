import { calculateJwkThumbprint, EmbeddedJWK, JWK, jwtVerify } from 'jose';

import { sha256Base64Url } from '../inspector/jwt-explained';
import { createThrowawayKey, signProof } from './attacker-proofs';

describe('attacker proofs (made outside the interceptor, real WebCrypto)', () => {
  it('makes a well-formed proof that verifies with its own key, with ath and nonce', async () => {
    const key = await createThrowawayKey();
    const proof = await signProof(key, {
      htm: 'GET',
      htu: 'http://localhost:3001/api/users',
      accessToken: 'stolen',
      nonce: 'n-1',
    });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect((protectedHeader.jwk as JWK).d).toBeUndefined();
    expect(payload['htm']).toBe('GET');
    expect(payload['htu']).toBe('http://localhost:3001/api/users');
    expect(payload['ath']).toBe(await sha256Base64Url('stolen'));
    expect(payload['nonce']).toBe('n-1');
    expect(typeof payload.jti).toBe('string');
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
  });

  it('sets the iat it is given (the old-iat attack)', async () => {
    const key = await createThrowawayKey();
    const iat = Math.floor(Date.now() / 1000) - 600;
    const proof = await signProof(key, { htm: 'GET', htu: 'http://x/y', iat });
    const { payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      clockTolerance: 3600,
    });
    expect(payload.iat).toBe(iat);
    expect(payload['ath']).toBeUndefined();
  });

  it('makes a new non-extractable key each time: another thumbprint than any other key', async () => {
    const [a, b] = await Promise.all([createThrowawayKey(), createThrowawayKey()]);
    expect(a.privateKey.extractable).toBeFalse();
    expect(await calculateJwkThumbprint(a.publicJwk as JWK)).not.toBe(
      await calculateJwkThumbprint(b.publicJwk as JWK),
    );
  });
});
