import { TestBed } from '@angular/core/testing';

import { AuthError } from './auth-error';
import { authTestbed, TEST_METADATA } from './testing/auth-testbed';
import { TokenClient } from './token-client';

describe('TokenClient', () => {
  const t = authTestbed();

  function refresh(): Promise<unknown> {
    return TestBed.inject(TokenClient)
      .refresh(TEST_METADATA.token_endpoint, { refreshToken: 'r' })
      .catch((error: unknown) => error);
  }

  it('refuses a response without an access token', async () => {
    const result = refresh();
    (await t.tokenRequest()).flush({ token_type: 'DPoP' });
    expect((await result) as AuthError).toEqual(
      jasmine.objectContaining({ code: 'invalid_token_response' }),
    );
  });

  it("keeps the server's error apart from its own finding (oauth4webapi's split)", async () => {
    const result = refresh();
    (await t.tokenRequest()).flush(
      { error: 'invalid_grant', error_description: 'expired' },
      { status: 400, statusText: 'Bad Request' },
    );
    const error = (await result) as AuthError;
    expect(error.code).toBe('token_request_refused');
    expect(error.server).toEqual({ error: 'invalid_grant', description: 'expired' });
  });

  it('says the token endpoint did not answer, and what to check', async () => {
    const result = refresh();
    (await t.tokenRequest()).error(new ProgressEvent('error'), { status: 0 });
    const error = (await result) as AuthError;
    expect(error.code).toBe('token_request_failed');
    expect(error.message).toContain('is the authorization server running?');
  });

  it('names the status of an answer that is not an OAuth error', async () => {
    const result = refresh();
    (await t.tokenRequest()).flush('<html>', { status: 502, statusText: 'Bad Gateway' });
    expect(((await result) as AuthError).message).toContain('502 Bad Gateway');
  });
});
