import { base64url, codeChallengeS256, createCodeVerifier, createPkce, randomToken } from './pkce';

describe('PKCE (RFC 7636)', () => {
  it('makes a code verifier of 43 characters from the unreserved base64url alphabet', () => {
    for (let i = 0; i < 50; i++) {
      const verifier = createCodeVerifier();
      expect(verifier.length).toBeGreaterThanOrEqual(43);
      expect(verifier.length).toBeLessThanOrEqual(128);
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    }
  });

  it('makes a different code verifier every time (random, not derived)', () => {
    const verifiers = new Set(Array.from({ length: 100 }, () => createCodeVerifier()));
    expect(verifiers.size).toBe(100);
  });

  it('computes the S256 challenge of the RFC 7636 Appendix B example', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('pairs each verifier with base64url(SHA-256(verifier)) and method S256', async () => {
    const pkce = await createPkce();
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pkce.verifier));
    expect(pkce.method).toBe('S256');
    expect(pkce.challenge).toBe(base64url(new Uint8Array(digest)));
    expect(pkce.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('encodes base64url without padding and with the URL-safe alphabet', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(new Uint8Array([]))).toBe('');
  });

  it('makes random state/nonce values with 256 bits of entropy by default', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
  });
});
