import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
import { firstValueFrom } from 'rxjs';

import { PENDING_SIGN_IN_KEY } from './pending-sign-in';
import { codeChallengeS256 } from './pkce';
import { DEFAULT_RESOURCE } from './session';
import {
  authTestbed,
  DISCOVERY_URL,
  formOf,
  nextRequest,
  proofClaimsOf,
  settle,
  TEST_API,
  TEST_CONFIG,
  TEST_METADATA,
  TEST_RESOURCE,
  TOKEN_REQUEST,
} from './testing/auth-testbed';

describe('Auth', () => {
  const t = authTestbed();

  describe('sign-in', () => {
    it('makes a fresh DPoP key for every sign-in and puts its thumbprint in dpop_jkt', async () => {
      const before = (await t.devtools.key()).thumbprint;
      const params = await t.startSignIn();
      const after = (await t.devtools.key()).thumbprint;
      expect(after).not.toBe(before);
      expect(params.get('dpop_jkt')).toBe(after);
    });

    it('sends an authorization request with code, PKCE S256, state, nonce, scope and resource', async () => {
      const params = await t.startSignIn();
      expect(t.redirects[0].startsWith(`${TEST_METADATA.authorization_endpoint}?`)).toBeTrue();
      expect(params.get('response_type')).toBe('code');
      expect(params.get('client_id')).toBe(TEST_CONFIG.clientId);
      expect(params.get('redirect_uri')).toBe(TEST_CONFIG.redirectUri);
      expect(params.get('scope')).toBe(TEST_CONFIG.scopes.join(' '));
      expect(params.get('code_challenge_method')).toBe('S256');
      expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(params.get('state')).not.toBe(params.get('nonce'));
      expect(params.getAll('resource')).toEqual([TEST_RESOURCE]);
      expect(t.auth.status()).toBe('signing-in');
    });

    it('keeps state, nonce, verifier and return URL in sessionStorage; the challenge is S256 of the verifier', async () => {
      const params = await t.startSignIn('/users?page=2');
      const pending = JSON.parse(sessionStorage.getItem(PENDING_SIGN_IN_KEY)!);
      expect(pending.state).toBe(params.get('state'));
      expect(pending.nonce).toBe(params.get('nonce'));
      expect(pending.returnUrl).toBe('/users?page=2');
      expect(await codeChallengeS256(pending.codeVerifier)).toBe(params.get('code_challenge')!);
    });

    it('never returns to another site after sign-in (no open redirect)', async () => {
      await t.startSignIn('https://evil.example.test/');
      expect(JSON.parse(sessionStorage.getItem(PENDING_SIGN_IN_KEY)!).returnUrl).toBe('/');
    });

    it('explains that the authorization server is down instead of redirecting', async () => {
      const started = t.auth.signIn('/');
      (await nextRequest(t.backend, DISCOVERY_URL)).error(new ProgressEvent('error'), {
        status: 0,
      });
      await started;
      expect(t.redirects).toEqual([]);
      expect(t.expectAuthError('discovery_unreachable').message).toContain(
        'did not answer: is it running? (npm start)',
      );
    });

    it('ends the previous session when a new sign-in starts', async () => {
      await t.signIn();
      await t.auth.signIn('/'); // discovery is known by now
      expect(await t.storedSession()).toBeNull();
      expect(t.auth.user()).toBeNull();
    });
  });

  describe('callback', () => {
    it('refuses a response without state, sends no token request and forgets the pending sign-in', async () => {
      await t.startSignIn();
      expect(await t.auth.completeSignIn({ code: 'the-code' })).toBeNull();
      expect(t.expectAuthError('state_mismatch').message).toContain(
        'This sign-in response does not match a sign-in started here',
      );
      expect(sessionStorage.getItem(PENDING_SIGN_IN_KEY)).toBeNull();
      await settle();
    });

    it('refuses a response whose state is not the one sent', async () => {
      await t.startSignIn();
      expect(await t.auth.completeSignIn({ code: 'the-code', state: 'forged' })).toBeNull();
      t.expectAuthError('state_mismatch');
      await settle();
    });

    it('refuses a response when no sign-in was started in this tab', async () => {
      expect(await t.auth.completeSignIn({ code: 'the-code', state: 'whatever' })).toBeNull();
      t.expectAuthError('state_mismatch');
      await settle();
    });

    it('shows the error and error_description the server sent (error=access_denied)', async () => {
      const params = await t.startSignIn();
      const result = await t.auth.completeSignIn({
        state: params.get('state'),
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      });
      expect(result).toBeNull();
      const error = t.expectAuthError('sign_in_refused');
      expect(error.message).toContain('access_denied');
      expect(error.server).toEqual({
        error: 'access_denied',
        description: 'End-User aborted interaction',
      });
      await settle();
    });

    it('refuses a response that names another issuer (RFC 9207 mix-up defence)', async () => {
      const params = await t.startSignIn();
      const result = await t.auth.completeSignIn({
        code: 'the-code',
        state: params.get('state'),
        iss: 'https://evil.example.test',
      });
      expect(result).toBeNull();
      t.expectAuthError('issuer_mismatch');
      await settle();
    });

    it('exchanges the code with a DPoP proof of the sign-in key and no access token', async () => {
      const params = await t.startSignIn();
      const { result, exchange } = await t.finishSignIn(params);

      const body = formOf(exchange);
      expect(body.get('grant_type')).toBe('authorization_code');
      expect(body.get('code')).toBe('the-code');
      expect(body.get('redirect_uri')).toBe(TEST_CONFIG.redirectUri);
      expect(body.get('client_id')).toBe(TEST_CONFIG.clientId);
      expect(await codeChallengeS256(body.get('code_verifier')!)).toBe(
        params.get('code_challenge')!,
      );
      expect(exchange.request.headers.has('Authorization')).toBeFalse();
      const proof = exchange.request.headers.get('DPoP')!;
      expect(decodeProtectedHeader(proof).typ).toBe('dpop+jwt');
      expect(proofClaimsOf(exchange)['htm']).toBe('POST');
      expect(proofClaimsOf(exchange)['htu']).toBe(TEST_METADATA.token_endpoint);
      expect(await calculateJwkThumbprint(decodeProtectedHeader(proof).jwk!)).toBe(
        params.get('dpop_jkt')!,
      );

      expect(result).toBe('/users');
      expect(t.auth.status()).toBe('signed-in');
      expect(t.auth.user()).toEqual(
        jasmine.objectContaining({
          sub: 'alice',
          name: 'Alice Anders',
          email: 'alice@example.com',
        }),
      );
      expect(t.auth.displayName()).toBe('Alice Anders');
    });

    it('answers the token endpoint nonce challenge (use_dpop_nonce) once, with a fresh proof', async () => {
      const params = await t.startSignIn();
      const done = t.auth.completeSignIn({ code: 'the-code', state: params.get('state') });
      const first = await t.tokenRequest();
      first.flush(
        { error: 'use_dpop_nonce', error_description: 'nonce is required in the DPoP proof' },
        { status: 400, statusText: 'Bad Request', headers: { 'DPoP-Nonce': 'server-nonce-1' } },
      );
      const second = await t.tokenRequest();
      expect(proofClaimsOf(second)['nonce']).toBe('server-nonce-1');
      expect(proofClaimsOf(second)['jti']).not.toBe(proofClaimsOf(first)['jti']);
      second.flush({
        access_token: 'userinfo-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-1',
        id_token: await t.signer.sign({ nonce: params.get('nonce')! }),
      });
      expect(await done).toBe('/users');
    });

    it('refuses Bearer tokens when DPoP was asked for, and says DPoP must be enabled', async () => {
      await t.signIn({ token_type: 'Bearer' });
      const error = t.expectAuthError('bearer_token_issued');
      expect(error.message).toContain('Bearer');
      expect(error.message).toContain('Enable DPoP');
      expect(await t.storedSession()).toBeNull();
    });

    it('accepts the token type DPoP in any letter case', async () => {
      await t.signIn({ token_type: 'dpop' });
      expect(t.auth.status()).toBe('signed-in');
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      await t.signIn({ nonce: 'replayed-nonce' });
      t.expectAuthError('invalid_id_token');
      expect(await t.storedSession()).toBeNull();
    });

    it('shows the token endpoint error and description (e.g. invalid_grant)', async () => {
      const params = await t.startSignIn();
      const done = t.auth.completeSignIn({ code: 'the-code', state: params.get('state') });
      (await t.tokenRequest()).flush(
        { error: 'invalid_grant', error_description: 'grant request is invalid' },
        { status: 400, statusText: 'Bad Request' },
      );
      expect(await done).toBeNull();
      expect(t.expectAuthError('token_request_refused').server).toEqual({
        error: 'invalid_grant',
        description: 'grant request is invalid',
      });
    });

    it('stores the session (IndexedDB): refresh token, the userinfo token, claims, key thumbprint', async () => {
      const params = await t.signIn();
      const session = (await t.storedSession())!;
      expect(session.refreshToken).toBe('refresh-1');
      expect(session.jkt).toBe(params.get('dpop_jkt')!);
      expect(session.user.sub).toBe('alice');
      expect(session.tokens[DEFAULT_RESOURCE].accessToken).toBe('userinfo-token');
      expect(session.tokens[DEFAULT_RESOURCE].expiresAt).toBeGreaterThan(Date.now() + 200_000);
    });
  });

  describe('tokens', () => {
    it('gets the API token with a refresh-token grant for its resource, and keeps the rotated refresh token', async () => {
      await t.signIn();
      const token = t.auth.accessToken(TEST_RESOURCE);
      const request = await t.tokenRequest();
      const body = formOf(request);
      expect(body.get('grant_type')).toBe('refresh_token');
      expect(body.get('refresh_token')).toBe('refresh-1');
      expect(body.get('resource')).toBe(TEST_RESOURCE);
      expect(request.request.headers.has('DPoP')).toBeTrue();
      request.flush({
        access_token: 'api-token',
        token_type: 'DPoP',
        expires_in: 300,
        refresh_token: 'refresh-2',
      });
      expect(await token).toBe('api-token');
      const session = (await t.storedSession())!;
      expect(session.refreshToken).toBe('refresh-2');
      expect(session.revision).toBe(1);
      expect(session.tokens[TEST_RESOURCE].accessToken).toBe('api-token');
      expect(session.tokens[DEFAULT_RESOURCE].accessToken).toBe('userinfo-token');

      // Valid for long enough: served from the session, no second request.
      expect(await t.auth.accessToken(TEST_RESOURCE)).toBe('api-token');
      expect(await t.auth.accessToken()).toBe('userinfo-token');
    });

    it('shares one token request between concurrent callers for the same resource', async () => {
      await t.signIn();
      const first = t.auth.accessToken(TEST_RESOURCE);
      const second = t.auth.accessToken(TEST_RESOURCE);
      (await t.tokenRequest()).flush({
        access_token: 'api-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-2',
      });
      expect(await first).toBe('api-token');
      expect(await second).toBe('api-token');
      await settle();
      t.backend.expectNone(TOKEN_REQUEST);
    });

    it('runs refreshes one after another, each with the newest refresh token', async () => {
      await t.signIn();
      await reloadWithUserinfoTokenExpiringIn(0);
      const api = t.auth.accessToken(TEST_RESOURCE);
      const userinfo = t.auth.accessToken();
      (await nextRequest(t.backend, DISCOVERY_URL)).flush(TEST_METADATA);
      const first = await t.tokenRequest();
      await settle();
      t.backend.expectNone(TOKEN_REQUEST);
      first.flush({ access_token: 'api-token', token_type: 'DPoP', refresh_token: 'refresh-2' });
      const second = await t.tokenRequest();
      expect(formOf(second).get('refresh_token')).toBe('refresh-2');
      expect(formOf(second).has('resource')).toBeFalse();
      second.flush({ access_token: 'userinfo-2', token_type: 'DPoP', refresh_token: 'refresh-3' });
      expect(await api).toBe('api-token');
      expect(await userinfo).toBe('userinfo-2');
      expect((await t.storedSession())!.refreshToken).toBe('refresh-3');
    });

    it('refreshes a token that has less than 30 seconds left', async () => {
      await t.signIn();
      await reloadWithUserinfoTokenExpiringIn(20_000); // a 5-minute token with 20 s left

      const token = t.auth.accessToken();
      (await nextRequest(t.backend, DISCOVERY_URL)).flush(TEST_METADATA);
      const request = await t.tokenRequest();
      expect(formOf(request).get('grant_type')).toBe('refresh_token');
      request.flush({ access_token: 'userinfo-2', token_type: 'DPoP', expires_in: 300 });
      expect(await token).toBe('userinfo-2');
      expect((await t.storedSession())!.refreshToken).toBe('refresh-1');
    });

    /** As if an earlier page stored the session with a 5-minute userinfo token ending in `ms`. */
    async function reloadWithUserinfoTokenExpiringIn(ms: number): Promise<void> {
      const session = (await t.storedSession())!;
      session.tokens[DEFAULT_RESOURCE].issuedAt = Date.now() + ms - 300_000;
      session.tokens[DEFAULT_RESOURCE].expiresAt = Date.now() + ms;
      await t.storeAsOtherTab(session);
      t.reload();
      await t.auth.restore();
    }

    it('uses a short-lived token (ACCESS_TOKEN_TTL=5) for most of its life: the margin is a quarter of it', async () => {
      await t.signIn({ expires_in: 5 });
      // 5 s left, more than a quarter of 5 s: no refresh (a fixed 30 s margin would refresh always).
      expect(await t.auth.accessToken()).toBe('userinfo-token');
      await settle();
      t.backend.expectNone(TOKEN_REQUEST);
    });

    it('refuses a Bearer token from a refresh too', async () => {
      await t.signIn();
      const token = t.auth.accessToken(TEST_RESOURCE);
      (await t.tokenRequest()).flush({ access_token: 'x', token_type: 'Bearer' });
      await expectAsync(token).toBeRejectedWith(
        jasmine.objectContaining({ code: 'bearer_token_issued' }),
      );
    });

    it('signs out with a message when the refresh token is refused (invalid_grant), without retrying', async () => {
      await t.signIn();
      const jkt = (await t.storedSession())!.jkt;
      const token = t.auth.accessToken(TEST_RESOURCE);
      (await t.tokenRequest()).flush(
        { error: 'invalid_grant', error_description: 'grant request is invalid' },
        { status: 400, statusText: 'Bad Request' },
      );
      await expectAsync(token).toBeRejectedWith(
        jasmine.objectContaining({ code: 'session_expired' }),
      );
      expect(t.auth.status()).toBe('signed-out');
      expect(t.auth.user()).toBeNull();
      expect(t.auth.notice()).toContain('Your session has ended');
      expect(await t.storedSession()).toBeNull();
      expect(await t.dpop.restore(jkt))
        .withContext('the key is deleted')
        .toBeFalse();
      // Signed out now: no token, and no further requests.
      expect(await t.auth.accessToken(TEST_RESOURCE)).toBeNull();
      await settle();
      t.backend.expectNone(TOKEN_REQUEST);
    });

    it('takes a refreshed ID token of the same user, keeping the claims it leaves out', async () => {
      await t.signIn();
      const token = t.auth.accessToken(TEST_RESOURCE);
      const idToken = await t.signer.sign({ name: 'Alice Renamed', email: undefined });
      (await t.tokenRequest()).flush({
        access_token: 'api-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-2',
        id_token: idToken,
      });
      expect(await token).toBe('api-token');
      const session = (await t.storedSession())!;
      expect(session.idToken).toBe(idToken);
      expect(session.user).toEqual({
        sub: 'alice',
        name: 'Alice Renamed',
        email: 'alice@example.com',
      });
      expect(t.auth.displayName()).toBe('Alice Renamed');
    });

    it('ends the session when a refresh returns an ID token about another user, and keeps none of its tokens', async () => {
      await t.signIn();
      const jkt = (await t.storedSession())!.jkt;
      const token = t.auth.accessToken(TEST_RESOURCE);
      (await t.tokenRequest()).flush({
        access_token: 'bobs-api-token',
        token_type: 'DPoP',
        refresh_token: 'bobs-refresh-token',
        id_token: await t.signer.sign({ sub: 'bob', name: 'Bob' }),
      });
      await expectAsync(token).toBeRejectedWith(
        jasmine.objectContaining({ code: 'invalid_id_token' }),
      );
      expect(t.auth.status()).toBe('signed-out');
      expect(t.auth.user()).toBeNull();
      expect(t.auth.notice()).toContain('another user');
      expect(t.auth.peekAccessToken(TEST_RESOURCE)).toBeNull();
      expect(await t.storedSession()).toBeNull();
      expect(await t.dpop.restore(jkt))
        .withContext('the key is deleted')
        .toBeFalse();
      expect(await t.auth.accessToken(TEST_RESOURCE)).toBeNull();
      await settle();
      t.backend.expectNone(TOKEN_REQUEST);
    });

    it('gives the interceptor the API token: GET <api>/users carries Authorization: DPoP and a proof with ath', async () => {
      await t.signIn();
      const users = firstValueFrom(t.http.get(`${TEST_API}users`));
      (await t.tokenRequest()).flush({
        access_token: 'api-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-2',
      });
      const call = await nextRequest(t.backend, `${TEST_API}users`);
      expect(call.request.headers.get('Authorization')).toBe('DPoP api-token');
      expect(proofClaimsOf(call)['htm']).toBe('GET');
      expect(proofClaimsOf(call)['ath']).toEqual(jasmine.any(String));
      call.flush([]);
      expect(await users).toEqual([]);
    });

    it('puts the userinfo endpoint on the DPoP allow list when discovery resolves, with the sign-in token', async () => {
      await t.signIn();
      const endpoint = await t.auth.userinfoEndpoint();
      expect(endpoint).toBe(TEST_METADATA.userinfo_endpoint!);
      const claims = firstValueFrom(t.http.get(endpoint));
      const call = await nextRequest(t.backend, endpoint);
      expect(call.request.headers.get('Authorization')).toBe('DPoP userinfo-token');
      call.flush({ sub: 'alice' });
      expect(await claims).toEqual({ sub: 'alice' });
    });
  });

  describe('session restore', () => {
    it('keeps the user signed in after a reload, with the same DPoP key', async () => {
      await t.signIn();
      const { thumbprint } = await t.devtools.key();

      t.reload(); // a new injector over the same IndexedDB databases
      await t.auth.restore();

      expect(t.auth.status()).toBe('signed-in');
      expect(t.auth.user()?.sub).toBe('alice');
      expect((await t.devtools.key()).thumbprint).toBe(thumbprint);
      expect(await t.auth.accessToken()).toBe('userinfo-token');
    });

    it('drops a session quietly when its DPoP key is gone', async () => {
      await t.signIn();
      await t.dpop.end(); // site data cleared, say
      t.reload();
      await t.auth.restore();
      expect(t.auth.status()).toBe('signed-out');
      expect(t.auth.error()).toBeNull();
      expect(t.auth.notice()).toBeNull();
      expect(await t.storedSession()).toBeNull();
      expect(await t.auth.accessToken()).toBeNull();
    });

    it('stays signed out when there is no session', async () => {
      await t.auth.restore();
      expect(t.auth.status()).toBe('signed-out');
      expect(t.auth.isSignedIn()).toBeFalse();
    });
  });

  describe('sign-out', () => {
    it('deletes the session and the DPoP key, then ends the server session (RP-initiated logout)', async () => {
      await t.signIn();
      const { idToken, jkt } = (await t.storedSession())!;
      t.redirects.length = 0;

      await t.signOut();

      expect(t.auth.status()).toBe('signed-out');
      expect(t.auth.user()).toBeNull();
      expect(await t.storedSession()).toBeNull();
      expect(await t.auth.accessToken()).toBeNull();
      expect(await t.dpop.restore(jkt))
        .withContext('the key is deleted')
        .toBeFalse();
      const logout = new URL(t.redirects[0]);
      expect(logout.origin + logout.pathname).toBe(TEST_METADATA.end_session_endpoint!);
      expect(logout.searchParams.get('id_token_hint')).toBe(idToken);
      expect(logout.searchParams.get('client_id')).toBe(TEST_CONFIG.clientId);
      expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(
        TEST_CONFIG.postLogoutRedirectUri,
      );
    });
  });
});
