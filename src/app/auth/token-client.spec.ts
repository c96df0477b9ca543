import { AuthError } from './auth-error';
import { checkTokenResponse } from './token-client';

describe('checkTokenResponse', () => {
  function refusal(body: unknown): AuthError {
    try {
      checkTokenResponse(body);
    } catch (error) {
      expect(error).toBeInstanceOf(AuthError);
      return error as AuthError;
    }
    throw new Error('the token response was accepted');
  }

  it('accepts DPoP-bound tokens, whatever the letter case of token_type', () => {
    for (const tokenType of ['DPoP', 'dpop', 'DPOP']) {
      expect(checkTokenResponse({ access_token: 'a', token_type: tokenType }).access_token).toBe(
        'a',
      );
    }
  });

  it('refuses Bearer tokens and says to enable DPoP for the client', () => {
    const error = refusal({ access_token: 'a', token_type: 'Bearer' });
    expect(error.code).toBe('bearer_token_issued');
    expect(error.message).toContain('issued Bearer tokens');
    expect(error.message).toContain('Enable DPoP for this client');
  });

  it('refuses a response without token_type', () => {
    expect(refusal({ access_token: 'a' }).code).toBe('bearer_token_issued');
  });

  it('refuses a response without an access token', () => {
    expect(refusal({ token_type: 'DPoP' }).code).toBe('invalid_token_response');
    expect(refusal(null).code).toBe('invalid_token_response');
  });
});
