import { TestBed } from '@angular/core/testing';
import { createLocalJWKSet } from 'jose';
import { AuthError } from './auth-error';
import { IdTokenSigner } from './testing/id-token-signer';
import { TEST_CONFIG, TEST_ISSUER, TEST_METADATA } from './testing/test-config';
import { IdTokenExpectations, IdTokenValidator, JWKS_RESOLVER } from './id-token';

describe('IdTokenValidator', () => {
  let signer: IdTokenSigner;
  let validator: IdTokenValidator;
  const expected: IdTokenExpectations = {
    issuer: TEST_ISSUER,
    clientId: TEST_CONFIG.clientId,
    jwksUri: TEST_METADATA.jwks_uri,
    nonce: 'the-nonce',
  };

  beforeAll(async () => {
    signer = await IdTokenSigner.create();
  });

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [{ provide: JWKS_RESOLVER, useValue: () => createLocalJWKSet(signer.jwks) }],
    });
    validator = TestBed.inject(IdTokenValidator);
  });

  async function refusal(token: Promise<string>, nonce: string | undefined = 'the-nonce') {
    try {
      await validator.validate(await token, { ...expected, nonce });
    } catch (error) {
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('invalid_id_token');
      return (error as AuthError).message;
    }
    throw new Error('the ID token was accepted');
  }

  it('accepts a token signed by the issuer for this client with the sent nonce', async () => {
    const claims = await validator.validate(await signer.sign({ nonce: 'the-nonce' }), expected);
    expect(claims.sub).toBe('alice');
    expect(claims.name).toBe('Alice Anders');
    expect(claims.email).toBe('alice@example.com');
  });

  it('refuses a token whose nonce is not the one this sign-in sent', async () => {
    expect(await refusal(signer.sign({ nonce: 'another-nonce' }))).toContain('"nonce"');
  });

  it('refuses a token without a nonce when one was sent', async () => {
    expect(await refusal(signer.sign({ nonce: undefined }))).toContain('"nonce"');
  });

  it('refuses a token issued for another client (aud)', async () => {
    expect(await refusal(signer.sign({ nonce: 'the-nonce', aud: 'another-client' }))).toContain(
      '"aud"',
    );
  });

  it('refuses a token with several audiences when azp is not this client', async () => {
    const token = signer.sign({ nonce: 'the-nonce', aud: [TEST_CONFIG.clientId, 'other'] });
    expect(await refusal(token)).toContain('azp');
  });

  it('refuses a token from another issuer (iss)', async () => {
    expect(
      await refusal(signer.sign({ nonce: 'the-nonce', iss: 'https://evil.example.test' })),
    ).toContain('"iss"');
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signer.sign({ nonce: 'the-nonce', iat: now - 7200, exp: now - 3600 });
    expect(await refusal(token)).toContain('expired');
  });

  it('refuses a token signed with a key that is not in the issuer JWKS', async () => {
    const stranger = await IdTokenSigner.create();
    expect(await refusal(stranger.sign({ nonce: 'the-nonce' }))).toContain('signature');
  });

  it('skips the nonce check only when none is expected (ID tokens from a refresh)', async () => {
    const claims = await validator.validate(await signer.sign(), { ...expected, nonce: undefined });
    expect(claims.sub).toBe('alice');
  });
});
