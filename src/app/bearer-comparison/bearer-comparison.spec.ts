import { TestBed } from '@angular/core/testing';

import {
  authTestbed,
  DISCOVERY_URL,
  formOf,
  nextRequest,
  TEST_CONFIG,
  TEST_ISSUER,
  TEST_METADATA,
  TEST_RESOURCE,
  TOKEN_REQUEST,
} from '../auth/testing/auth-testbed';
import { BearerSession } from './bearer-session';

const BEARER_CLIENT = 'dpop-lab-bearer';

/**
 * The comparison's plain bearer token: a sign-in of its own with the bearer client, beside the
 * DPoP session and never mixed with it — no key, no proof, no interceptor.
 */
describe('the plain-bearer comparison (BearerSession)', () => {
  const t = authTestbed({ config: { bearerClientId: BEARER_CLIENT } });
  let bearer: BearerSession;

  beforeEach(() => {
    bearer = TestBed.inject(BearerSession);
    bearer.end();
  });

  async function startSignIn(): Promise<URLSearchParams> {
    const started = bearer.signIn('/attacks');
    (await nextRequest(t.backend, DISCOVERY_URL)).flush(TEST_METADATA);
    await started;
    return new URL(t.redirects.at(-1)!).searchParams;
  }

  async function complete(params: URLSearchParams, tokenType = 'Bearer') {
    const done = bearer
      .complete({ code: 'the-code', state: params.get('state'), iss: TEST_ISSUER })
      .catch((error: unknown) => error);
    const exchange = await nextRequest(t.backend, TOKEN_REQUEST);
    exchange.flush({ access_token: 'bearer-token', token_type: tokenType, expires_in: 300 });
    return { result: await done, exchange };
  }

  it('asks the authorization server for a code for the bearer client, to its own callback, without dpop_jkt', async () => {
    const params = await startSignIn();
    expect(params.get('client_id')).toBe(BEARER_CLIENT);
    expect(params.get('redirect_uri')).toBe(
      new URL('/bearer/callback', TEST_CONFIG.redirectUri).href,
    );
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.getAll('resource')).toEqual([TEST_RESOURCE]);
    expect(params.has('dpop_jkt')).toBeFalse();
    expect(params.get('scope')?.split(' ')).not.toContain('offline_access');
  });

  it('redeems the code with no proof (no interceptor sees it) and keeps the Bearer token beside the session', async () => {
    const params = await startSignIn();
    const { result, exchange } = await complete(params);
    expect(result).toBe('/attacks');
    expect(exchange.request.headers.has('DPoP')).toBeFalse();
    expect(formOf(exchange).get('client_id')).toBe(BEARER_CLIENT);
    expect(formOf(exchange).get('resource')).toBe(TEST_RESOURCE);
    expect(formOf(exchange).get('code_verifier')).toBeTruthy();
    expect(bearer.accessToken()).toBe('bearer-token');
    expect(t.auth.isSignedIn()).withContext('the DPoP sign-in knows nothing of it').toBeFalse();
  });

  it('refuses a DPoP token: not what the comparison asked for', async () => {
    const { result } = await complete(await startSignIn(), 'DPoP');
    expect(result).toEqual(jasmine.objectContaining({ code: 'invalid_token_response' }));
    expect(bearer.accessToken()).toBeNull();
  });

  it('refuses a callback it did not start (state), and sends nothing', async () => {
    await startSignIn();
    const error = await bearer
      .complete({ code: 'c', state: 'forged', iss: TEST_ISSUER })
      .catch((e: unknown) => e);
    expect(error).toEqual(jasmine.objectContaining({ code: 'state_mismatch' }));
    t.backend.expectNone(TOKEN_REQUEST);
  });

  it('forgets an expired token', async () => {
    await complete(await startSignIn());
    spyOn(Date, 'now').and.returnValue(Date.now() + 301_000);
    expect(bearer.accessToken()).toBeNull();
    expect(bearer.token()).toBeNull();
  });
});

describe('without a bearer client in config.json', () => {
  const t = authTestbed();

  it('is not offered, and a bearer sign-in says why without leaving', async () => {
    const bearer = TestBed.inject(BearerSession);
    expect(bearer.available).toBeFalse();
    await expectAsync(bearer.signIn('/attacks')).toBeRejectedWith(
      jasmine.objectContaining({ message: jasmine.stringContaining('bearerClientId') }),
    );
    expect(t.redirects).toEqual([]);
  });
});
