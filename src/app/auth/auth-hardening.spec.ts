import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';

import {
  authTestbed,
  DISCOVERY_URL,
  jwtAccessToken,
  nextRequest,
  settle,
  TEST_METADATA,
  TEST_RESOURCE,
  testSession,
} from './testing/auth-testbed';

/** Storage refusal, algorithm negotiation and binding checks in the sign-in flow. */
describe('Auth hardening', () => {
  const t = authTestbed();

  it('a signed-out start checks the storage but keeps no key (the check deletes its throwaway key)', async () => {
    await t.restore();
    expect(t.dpop.storage()).toBe('indexeddb');
    expect(await t.dpop.restore()).toBeFalse(); // still nothing stored
  });

  describe('when the browser refuses to store the key (memory-only key)', () => {
    let open: jasmine.Spy;

    beforeEach(() => {
      // What a private mode or blocked site data does: IndexedDB cannot be opened.
      open = spyOn(indexedDB, 'open').and.throwError(new DOMException('denied', 'SecurityError'));
    });

    it('still signs in: no dpop_jkt (the key would not survive the redirect), tokens bound to the callback page key', async () => {
      await t.restore();
      expect(t.dpop.storage()).toBe('memory');
      const params = await t.startSignIn();
      expect(params.has('dpop_jkt')).toBeFalse();
      expect(params.get('code_challenge_method')).toBe('S256');

      t.reload(); // the callback is a new page: a new memory-only key
      await t.auth.restore();
      const { result, exchange } = await t.finishSignIn(params);
      expect(result).toBe('/users');
      expect(t.auth.status()).toBe('signed-in');
      const { jwk } = decodeProtectedHeader(exchange.request.headers.get('DPoP')!);
      expect(await calculateJwkThumbprint(jwk!)).toBe((await t.devtools.key()).thumbprint);
    });

    it('keeps that session in the tab (it could not outlive the key) and leaves other tabs’ session alone', async () => {
      const theirs = testSession({ jkt: 'their-key', user: { sub: 'bob' } });
      open.and.callThrough();
      await t.storeAsOtherTab(theirs);
      open.and.throwError(new DOMException('denied', 'SecurityError'));

      await t.auth.restore();
      expect(t.auth.status()).toBe('signed-out');
      const params = await t.startSignIn();
      t.reload();
      await t.auth.restore();
      await t.finishSignIn(params);
      expect(t.auth.status()).toBe('signed-in');
      expect(t.auth.user()?.sub).toBe('alice');

      open.and.callThrough();
      expect(await t.storedSession()).toEqual(theirs);
    });
  });

  describe('algorithm negotiation', () => {
    it('signs in with a PS256 key when discovery lists only PS256: dpop_jkt and proofs use it', async () => {
      const params = await t.startSignIn('/users', {
        metadata: { ...TEST_METADATA, dpop_signing_alg_values_supported: ['PS256'] },
      });
      const key = await t.devtools.key();
      expect(key.algorithm).toBe('PS256');
      expect(params.get('dpop_jkt')).toBe(key.thumbprint);
      const { exchange } = await t.finishSignIn(params);
      expect(decodeProtectedHeader(exchange.request.headers.get('DPoP')!).alg).toBe('PS256');
      expect(t.auth.status()).toBe('signed-in');
    });

    it('says plainly when the server accepts no algorithm this app can sign with', async () => {
      const started = t.auth.signIn('/');
      (await nextRequest(t.backend, DISCOVERY_URL)).flush({
        ...TEST_METADATA,
        dpop_signing_alg_values_supported: ['ES512', 'Ed448'],
      });
      await started;
      expect(t.redirects).toEqual([]);
      const error = t.expectAuthError('dpop_not_supported');
      expect(error.message).toContain('accepts ES512, Ed448');
      expect(error.message).toContain('this app signs with ES256');
    });
  });

  describe('binding checks (RFC 9449 §6.1)', () => {
    it('refuses a JWT access token bound to another key (cnf.jkt) from the code exchange', async () => {
      const params = await t.startSignIn();
      const { result } = await t.finishSignIn(params, {
        access_token: await jwtAccessToken('thumbprint-of-another-key'),
      });
      expect(result).toBeNull();
      t.expectAuthError('token_not_bound');
      expect(await t.storedSession()).toBeNull();
    });

    it('accepts a JWT access token whose cnf.jkt is this key, and refuses one without cnf from a refresh', async () => {
      const params = await t.startSignIn();
      const bound = await jwtAccessToken((await t.devtools.key()).thumbprint);
      expect((await t.finishSignIn(params, { access_token: bound })).result).toBe('/users');

      const api = t.auth.accessToken(TEST_RESOURCE);
      (await t.tokenRequest()).flush({
        access_token: await jwtAccessToken(),
        token_type: 'DPoP',
        expires_in: 300,
      });
      await expectAsync(api).toBeRejectedWith(
        jasmine.objectContaining({ code: 'token_not_bound' }),
      );
      await settle();
    });
  });
});
