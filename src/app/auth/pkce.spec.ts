import { base64url } from 'jose';

import { codeChallengeS256, createPkce, randomToken } from './pkce';

describe('PKCE (RFC 7636)', () => {
  it('makes a code verifier of 43 characters from the unreserved base64url alphabet', async () => {
    for (let i = 0; i < 50; i++) {
      const { verifier } = await createPkce();
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    }
  });

  it('makes a different code verifier every time (random, not derived)', async () => {
    const pairs = await Promise.all(Array.from({ length: 100 }, () => createPkce()));
    expect(new Set(pairs.map((pkce) => pkce.verifier)).size).toBe(100);
  });

  it('computes the S256 challenge of the RFC 7636 Appendix B example', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('pairs each verifier with base64url(SHA-256(verifier))', async () => {
    const pkce = await createPkce();
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pkce.verifier));
    expect(pkce.challenge).toBe(base64url.encode(new Uint8Array(digest)));
    expect(pkce.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes random state/nonce values with 256 bits of entropy by default', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
  });
});
