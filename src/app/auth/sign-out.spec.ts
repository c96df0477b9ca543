import { TestRequest } from '@angular/common/http/testing';

import { bearerInterceptor } from '../bearer-comparison/bearer-interceptor';
import { provideBearerComparison } from '../bearer-comparison/provide-bearer-comparison';
import {
  authTestbed,
  DISCOVERY_URL,
  formOf,
  nextRequest,
  REVOCATION_REQUEST,
  TEST_CONFIG,
  TEST_METADATA,
} from './testing/auth-testbed';

/**
 * Sign-out revokes the refresh token (RFC 7009) after the local sign-out and before the
 * end-session redirect; a revocation that fails is logged and holds nothing up.
 */
describe('sign-out', () => {
  const t = authTestbed({
    config: { bearerClientId: 'dpop-lab-bearer' },
    providers: [provideBearerComparison()],
    interceptors: [bearerInterceptor],
  });
  const endSession = TEST_METADATA.end_session_endpoint!;

  function expectRevocationOf(request: TestRequest, token: string, clientId: string): void {
    const form = formOf(request);
    expect(form.get('token')).toBe(token);
    expect(form.get('token_type_hint')).toBe('refresh_token');
    expect(form.get('client_id')).toBe(clientId);
    // Not a DPoP request: no proof (the key is gone by now) and no access token.
    expect(request.request.headers.has('DPoP')).toBeFalse();
    expect(request.request.headers.has('Authorization')).toBeFalse();
  }

  it('signs out here, then revokes the refresh token, then leaves for the end-session endpoint', async () => {
    await t.signIn();
    const { jkt } = (await t.storedSession())!;
    t.redirects.length = 0;

    const done = t.auth.signOut();
    const revocation = await nextRequest(t.backend, REVOCATION_REQUEST);
    expect(t.auth.status()).toBe('signed-out');
    expect(await t.storedSession()).toBeNull();
    expect(await t.dpop.restore(jkt))
      .withContext('the key is deleted first')
      .toBeFalse();
    expect(t.redirects).withContext('no redirect before the revocation').toEqual([]);
    expectRevocationOf(revocation, 'refresh-1', TEST_CONFIG.clientId);

    revocation.flush('');
    await done;
    expect(t.redirects.length).toBe(1);
    expect(t.redirects[0].startsWith(`${endSession}?`)).toBeTrue();
  });

  it('revokes the newest refresh token, the one another tab got since', async () => {
    await t.signIn();
    const session = (await t.storedSession())!;
    await t.storeAsOtherTab({ ...session, revision: 1, refreshToken: 'refresh-2' });
    expectRevocationOf(await t.signOut(), 'refresh-2', TEST_CONFIG.clientId);
  });

  it("revokes a plain-bearer session's refresh token with the bearer client's id", async () => {
    await t.signIn({ token_type: 'Bearer' }, 'Bearer');
    t.redirects.length = 0;
    expectRevocationOf(await t.signOut(), 'refresh-1', 'dpop-lab-bearer');
    expect(new URL(t.redirects[0]).searchParams.get('client_id')).toBe('dpop-lab-bearer');
  });

  const failures: [string, (request: TestRequest) => void, string][] = [
    [
      'refused (400 invalid_client)',
      (request) =>
        request.flush({ error: 'invalid_client' }, { status: 400, statusText: 'Bad Request' }),
      'The revocation endpoint refused the request: invalid_client.',
    ],
    [
      'failing (503)',
      (request) => request.flush('', { status: 503, statusText: 'Service Unavailable' }),
      'The revocation endpoint answered 503 Service Unavailable.',
    ],
    [
      'unreachable',
      (request) => request.error(new ProgressEvent('error'), { status: 0 }),
      `The revocation endpoint ${REVOCATION_REQUEST.url} did not answer`,
    ],
  ];
  for (const [what, answer, reason] of failures) {
    it(`logs a ${what} revocation endpoint and still ends the server session`, async () => {
      await t.signIn();
      t.redirects.length = 0;
      const warn = spyOn(console, 'warn');
      const done = t.auth.signOut();
      answer(await nextRequest(t.backend, REVOCATION_REQUEST));
      await done;
      expect(warn).toHaveBeenCalledOnceWith(jasmine.stringContaining(reason));
      expect(warn.calls.first().args[0]).toContain('the refresh token was not revoked');
      expect(t.redirects[0].startsWith(`${endSession}?`)).toBeTrue();
      expect(t.auth.status()).toBe('signed-out');
    });
  }

  it('logs that the server names no revocation endpoint, and sends nothing there', async () => {
    const withoutRevocation = { ...TEST_METADATA, revocation_endpoint: undefined };
    await t.finishSignIn(await t.startSignIn('/users', { metadata: withoutRevocation }));
    t.redirects.length = 0;
    const warn = spyOn(console, 'warn');
    await t.auth.signOut();
    expect(warn).toHaveBeenCalledOnceWith(
      jasmine.stringContaining('the discovery document names no revocation_endpoint'),
    );
    expect(t.redirects[0].startsWith(`${endSession}?`)).toBeTrue();
  });

  it('with the authorization server down, signs out here, logs it and goes home', async () => {
    await t.signIn();
    t.reload(); // a new page: discovery is not loaded yet
    await t.auth.restore();
    t.redirects.length = 0;
    const warn = spyOn(console, 'warn');
    const done = t.auth.signOut();
    (await nextRequest(t.backend, DISCOVERY_URL)).error(new ProgressEvent('error'), { status: 0 });
    await done;
    expect(warn).toHaveBeenCalledOnceWith(jasmine.stringContaining('did not answer'));
    expect(t.redirects).toEqual([TEST_CONFIG.postLogoutRedirectUri]);
    expect(t.auth.status()).toBe('signed-out');
    expect(await t.storedSession()).toBeNull();
  });
});
