import { TestRequest } from '@angular/common/http/testing';
import { dpopProofOf } from '@dpop-lab/angular/testing';
import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';

import {
  authTestbed,
  DISCOVERY_URL,
  formOf,
  nextRequest,
  REVOCATION_REQUEST,
  TEST_CONFIG,
  TEST_METADATA,
} from './testing/auth-testbed';
import { forgetSignOutReport, takeSignOutReport } from '../signed-out/sign-out-report';

/**
 * Sign-out revokes the refresh token (RFC 7009) with a DPoP proof of its key, after the local
 * sign-out and before the key is deleted and the end-session redirect; a revocation that fails
 * is logged and holds nothing up.
 */
describe('sign-out', () => {
  const t = authTestbed();
  const endSession = TEST_METADATA.end_session_endpoint!;
  const signedOutPage = new URL('/signed-out', TEST_CONFIG.postLogoutRedirectUri).href;

  beforeEach(() => forgetSignOutReport());
  afterEach(() => forgetSignOutReport());

  async function expectRevocationOf(request: TestRequest, token: string, jkt: string) {
    const form = formOf(request);
    expect(form.get('token')).toBe(token);
    expect(form.get('token_type_hint')).toBe('refresh_token');
    expect(form.get('client_id')).toBe(TEST_CONFIG.clientId);
    // A proof of the key the refresh token is bound to, as at the token endpoint; no access token.
    const claims = await dpopProofOf(request);
    expect(claims['htm']).toBe('POST');
    expect(claims['htu']).toBe(REVOCATION_REQUEST.url);
    const { jwk } = decodeProtectedHeader(request.request.headers.get('DPoP')!);
    expect(await calculateJwkThumbprint(jwk!)).toBe(jkt);
    expect(request.request.headers.has('Authorization')).toBeFalse();
  }

  it('signs out here, revokes the refresh token with a proof of its key, deletes the key, then leaves', async () => {
    await t.signIn();
    const { jkt } = (await t.storedSession())!;
    t.redirects.length = 0;

    const done = t.auth.signOut();
    const revocation = await nextRequest(t.backend, REVOCATION_REQUEST);
    expect(t.auth.status()).toBe('signed-out');
    expect(await t.storedSession()).toBeNull();
    expect(t.redirects).withContext('no redirect before the revocation').toEqual([]);
    await expectRevocationOf(revocation, 'refresh-1', jkt);

    revocation.flush('');
    await done;
    expect(await t.dpop.restore(jkt))
      .withContext('the key is deleted once the revocation is answered')
      .toBeFalse();
    expect(t.redirects.length).toBe(1);
    expect(t.redirects[0].startsWith(`${endSession}?`)).toBeTrue();
    // What the signed-out page will say: all of it done.
    expect(takeSignOutReport()).toEqual({
      jkt,
      keyDeleted: true,
      revocation: { outcome: 'revoked' },
      server: 'ending',
      arriving: true,
    });
  });

  it("forgets the lab's records of the session and the comparison's plain bearer token", async () => {
    await t.signIn();
    sessionStorage.setItem('dpop-lab.lab.attack-results', '{}');
    const bearerToken = { accessToken: 'bearer', expiresAt: Date.now() + 60_000 };
    sessionStorage.setItem('dpop-lab.bearer-token', JSON.stringify(bearerToken));
    const done = t.auth.signOut();
    (await nextRequest(t.backend, REVOCATION_REQUEST)).flush('');
    await done;
    expect(sessionStorage.getItem('dpop-lab.lab.attack-results')).toBeNull();
    expect(sessionStorage.getItem('dpop-lab.bearer-token')).toBeNull();
  });

  it("answers the revocation endpoint's nonce challenge (RFC 9449 §8) with a fresh proof", async () => {
    await t.signIn();
    const done = t.auth.signOut();
    (await nextRequest(t.backend, REVOCATION_REQUEST)).flush(
      { error: 'use_dpop_nonce' },
      { status: 400, statusText: 'Bad Request', headers: { 'DPoP-Nonce': 'as-n1' } },
    );
    const retry = await nextRequest(t.backend, REVOCATION_REQUEST);
    expect((await dpopProofOf(retry))['nonce']).toBe('as-n1');
    retry.flush('');
    await done;
    expect(t.auth.status()).toBe('signed-out');
  });

  it('revokes the newest refresh token, the one another tab got since', async () => {
    await t.signIn();
    const session = (await t.storedSession())!;
    await t.storeAsOtherTab({ ...session, revision: 1, refreshToken: 'refresh-2' });
    await expectRevocationOf(await t.signOut(), 'refresh-2', session.jkt);
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
      expect(t.auth.status()).toBe('signed-out');
      const report = takeSignOutReport()!;
      expect(report.revocation.outcome).toBe('not-revoked');
      if (what === 'unreachable') {
        // Never to a page that cannot load: straight to the app's signed-out page.
        expect(t.redirects).toEqual([signedOutPage]);
        expect(report.server).toBe('unreachable');
      } else {
        expect(t.redirects[0].startsWith(`${endSession}?`)).toBeTrue();
        expect(report.server).toBe('ending');
      }
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

  it('with the authorization server down, signs out here, logs it and goes to the signed-out page', async () => {
    await t.signIn();
    t.reload(); // a new page: discovery is not loaded yet
    await t.auth.restore();
    t.redirects.length = 0;
    const warn = spyOn(console, 'warn');
    const done = t.auth.signOut();
    (await nextRequest(t.backend, DISCOVERY_URL)).error(new ProgressEvent('error'), { status: 0 });
    await done;
    expect(warn).toHaveBeenCalledOnceWith(jasmine.stringContaining('did not answer'));
    expect(t.redirects).toEqual([signedOutPage]);
    expect(t.auth.status()).toBe('signed-out');
    expect(await t.storedSession()).toBeNull();
    expect(takeSignOutReport()).toEqual(
      jasmine.objectContaining({
        keyDeleted: true,
        revocation: { outcome: 'not-revoked', reason: 'the authorization server did not answer' },
        server: 'unreachable',
      }),
    );
  });
});
