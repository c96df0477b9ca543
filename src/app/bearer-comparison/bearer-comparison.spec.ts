import { firstValueFrom } from 'rxjs';

import {
  authTestbed,
  formOf,
  jwtAccessToken,
  nextRequest,
  settle,
  TEST_API,
  TEST_CONFIG,
  TEST_RESOURCE,
} from '../auth/testing/auth-testbed';
import { bearerInterceptor } from './bearer-interceptor';
import { provideBearerComparison } from './provide-bearer-comparison';

const BEARER_CLIENT = 'dpop-lab-bearer';

/**
 * The walkthrough's "plain bearer tokens" sessions: the bearer client, no DPoP anywhere, the
 * tokens sent by the comparison's own interceptor. A DPoP session never takes a Bearer token.
 */
describe('the plain-bearer comparison', () => {
  const t = authTestbed({
    config: { bearerClientId: BEARER_CLIENT },
    providers: [provideBearerComparison()],
    interceptors: [bearerInterceptor],
  });

  async function bearerSignIn(tokenType = 'Bearer') {
    const params = await t.startSignIn('/users', { mode: 'Bearer' });
    const { result, exchange } = await t.finishSignIn(params, { token_type: tokenType });
    expect(exchange.request.headers.has('DPoP')).withContext('no proof: no binding').toBeFalse();
    expect(formOf(exchange).get('client_id')).toBe(BEARER_CLIENT);
    return result;
  }

  it('asks for a code for the bearer client, without dpop_jkt', async () => {
    const params = await t.startSignIn('/users', { mode: 'Bearer' });
    expect(params.get('client_id')).toBe(BEARER_CLIENT);
    expect(params.has('dpop_jkt')).toBeFalse();
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.getAll('resource')).toEqual([TEST_RESOURCE]);
  });

  it('makes no DPoP key for a bearer sign-in', async () => {
    await t.startSignIn('/users', { mode: 'Bearer' });
    expect(await t.dpop.restore()).toBeFalse();
  });

  it('takes token_type Bearer without a proof; the session says Bearer, also after a reload', async () => {
    expect(await bearerSignIn()).toBe('/users');
    expect(t.auth.isSignedIn()).toBeTrue();
    expect(t.auth.mode()).toBe('Bearer');
    const stored = (await t.storedSession())!;
    expect(stored.mode).toBe('Bearer');
    expect(stored.jkt).toBeUndefined();

    t.reload();
    await t.auth.restore();
    expect(t.auth.isSignedIn()).toBeTrue();
    expect(t.auth.mode()).toBe('Bearer');
  });

  it('refuses a DPoP token for a bearer sign-in: not what the comparison asked for', async () => {
    expect(await bearerSignIn('DPoP')).toBeNull();
    t.expectAuthError('invalid_token_response');
  });

  it('refreshes for the API without a proof and sends Authorization: Bearer, no DPoP header', async () => {
    await bearerSignIn();
    const users = firstValueFrom(t.http.get(`${TEST_API}users`));
    const refresh = await t.tokenRequest();
    expect(refresh.request.headers.has('DPoP')).toBeFalse();
    expect(formOf(refresh).get('grant_type')).toBe('refresh_token');
    expect(formOf(refresh).get('client_id')).toBe(BEARER_CLIENT);
    expect(formOf(refresh).get('resource')).toBe(TEST_RESOURCE);
    refresh.flush({ access_token: 'api-token', token_type: 'Bearer', expires_in: 300 });

    const call = await nextRequest(t.backend, `${TEST_API}users`);
    expect(call.request.headers.get('Authorization')).toBe('Bearer api-token');
    expect(call.request.headers.has('DPoP')).toBeFalse();
    call.flush([]);
    expect(await users).toEqual([]);
  });

  it('never sends a DPoP-bound token (one with cnf) as Bearer: nothing goes out', async () => {
    await bearerSignIn();
    const users = firstValueFrom(t.http.get(`${TEST_API}users`)).catch((e: unknown) => e);
    (await t.tokenRequest()).flush({
      access_token: await jwtAccessToken('some-key'),
      token_type: 'Bearer',
      expires_in: 300,
    });
    expect(String(await users)).toContain('was not sent');
    await settle();
    t.backend.expectNone(`${TEST_API}users`);
  });

  it('signs out at the server with the bearer client id', async () => {
    await bearerSignIn();
    t.redirects.length = 0;
    await t.signOut();
    expect(new URL(t.redirects[0]).searchParams.get('client_id')).toBe(BEARER_CLIENT);
    expect(t.auth.mode()).toBe('DPoP');
  });

  it('a DPoP session still refuses token_type Bearer and sends DPoP tokens', async () => {
    const params = await t.startSignIn('/users');
    expect(params.get('client_id')).toBe(TEST_CONFIG.clientId);
    const { result, exchange } = await t.finishSignIn(params, { token_type: 'Bearer' });
    expect(exchange.request.headers.has('DPoP')).toBeTrue();
    expect(result).toBeNull();
    t.expectAuthError('bearer_token_issued');
    expect(t.auth.mode()).toBe('DPoP');
  });
});

describe('without a bearer client in config.json', () => {
  const t = authTestbed();

  it('is not offered, and a bearer sign-in says why', async () => {
    expect(t.auth.bearerAvailable).toBeFalse();
    await t.auth.signIn('/', 'Bearer');
    t.expectAuthError('bearer_client_missing');
    expect(t.redirects).toEqual([]);
  });
});
