import { HttpClient, HttpParams } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { calculateJwkThumbprint, JWK } from 'jose';
import { firstValueFrom } from 'rxjs';
import { DpopKeyStore } from '../dpop';
import { Auth } from './auth';
import { AuthError } from './auth-error';
import {
  DISCOVERY_URL,
  IdTokenSigner,
  jwtHeader,
  jwtPayload,
  nextRequest,
  provideAuthTesting,
  settle,
  TEST_API,
  TEST_CONFIG,
  TEST_ISSUER,
  TEST_METADATA,
  TEST_RESOURCE,
} from './auth-testing';
import { PENDING_SIGN_IN_KEY } from './pending-sign-in';
import { codeChallengeS256 } from './pkce';
import { DEFAULT_RESOURCE, Session, SESSION_KEY } from './session-store';

const TOKEN_REQUEST = { method: 'POST', url: TEST_METADATA.token_endpoint };

describe('Auth', () => {
  let signer: IdTokenSigner;
  let redirects: string[];
  let databaseName: string;
  let auth: Auth;
  let http: HttpTestingController;
  let keyStore: DpopKeyStore;

  beforeAll(async () => {
    signer = await IdTokenSigner.create();
  });

  function configure(): void {
    TestBed.configureTestingModule({
      providers: provideAuthTesting({ redirects, signer, databaseName }),
    });
    auth = TestBed.inject(Auth);
    http = TestBed.inject(HttpTestingController);
    keyStore = TestBed.inject(DpopKeyStore);
  }

  beforeEach(() => {
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    redirects = [];
    databaseName = `dpop-lab-auth-spec-${crypto.randomUUID()}`;
    configure();
  });

  afterEach(async () => {
    http.verify();
    await keyStore.clear();
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
  });

  function storedSession(): Session | null {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw === null ? null : (JSON.parse(raw) as Session);
  }

  /** Starts sign-in and answers discovery; returns the authorization request's parameters. */
  async function startSignIn(returnUrl = '/users'): Promise<URLSearchParams> {
    const started = auth.signIn(returnUrl);
    (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);
    await started;
    expect(redirects.length).withContext('redirects to the authorization server').toBe(1);
    return new URL(redirects[0]).searchParams;
  }

  interface TokenAnswer {
    token_type?: string;
    expires_in?: number;
    nonce?: string;
  }

  /** Signs in all the way: authorization request, callback, code exchange. */
  async function signIn(answer: TokenAnswer = {}): Promise<URLSearchParams> {
    const params = await startSignIn('/users');
    const done = auth.completeSignIn({
      code: 'the-code',
      state: params.get('state'),
      iss: TEST_ISSUER,
    });
    const idToken = await signer.sign({ nonce: answer.nonce ?? params.get('nonce')! });
    (await nextRequest(http, TOKEN_REQUEST)).flush({
      access_token: 'userinfo-token',
      token_type: answer.token_type ?? 'DPoP',
      expires_in: answer.expires_in ?? 300,
      refresh_token: 'refresh-1',
      id_token: idToken,
    });
    await done;
    return params;
  }

  function expectAuthError(code: string): AuthError {
    expect(auth.status()).toBe('error');
    const error = auth.error();
    expect(error).toBeInstanceOf(AuthError);
    expect(error?.code).toBe(code);
    return error!;
  }

  describe('sign-in', () => {
    it('makes a fresh DPoP key for every sign-in and puts its thumbprint in dpop_jkt', async () => {
      const before = await keyStore.thumbprint();
      const params = await startSignIn();
      const after = await keyStore.thumbprint();
      expect(after).not.toBe(before);
      expect(params.get('dpop_jkt')).toBe(after);
    });

    it('sends an authorization request with code, PKCE S256, state, nonce, scope and resource', async () => {
      const params = await startSignIn();
      expect(redirects[0].startsWith(`${TEST_METADATA.authorization_endpoint}?`)).toBeTrue();
      expect(params.get('response_type')).toBe('code');
      expect(params.get('client_id')).toBe(TEST_CONFIG.clientId);
      expect(params.get('redirect_uri')).toBe(TEST_CONFIG.redirectUri);
      expect(params.get('scope')).toBe(TEST_CONFIG.scopes.join(' '));
      expect(params.get('code_challenge_method')).toBe('S256');
      expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(params.get('state')).not.toBe(params.get('nonce'));
      expect(params.getAll('resource')).toEqual([TEST_RESOURCE]);
      expect(auth.status()).toBe('signing-in');
    });

    it('keeps state, nonce, verifier and return URL in sessionStorage; the challenge is S256 of the verifier', async () => {
      const params = await startSignIn('/users?page=2');
      const pending = JSON.parse(sessionStorage.getItem(PENDING_SIGN_IN_KEY)!);
      expect(pending.state).toBe(params.get('state'));
      expect(pending.nonce).toBe(params.get('nonce'));
      expect(pending.returnUrl).toBe('/users?page=2');
      expect(await codeChallengeS256(pending.codeVerifier)).toBe(params.get('code_challenge')!);
    });

    it('never returns to another site after sign-in (no open redirect)', async () => {
      await startSignIn('https://evil.example.test/');
      expect(JSON.parse(sessionStorage.getItem(PENDING_SIGN_IN_KEY)!).returnUrl).toBe('/');
    });

    it('explains that the authorization server is down instead of redirecting', async () => {
      const started = auth.signIn('/');
      (await nextRequest(http, DISCOVERY_URL)).error(new ProgressEvent('error'), { status: 0 });
      await started;
      expect(redirects).toEqual([]);
      expect(expectAuthError('discovery_unreachable').message).toContain(
        'did not answer: is it running? (npm start)',
      );
    });
  });

  describe('callback', () => {
    it('refuses a response without state, sends no token request and forgets the pending sign-in', async () => {
      await startSignIn();
      expect(await auth.completeSignIn({ code: 'the-code' })).toBeNull();
      expect(expectAuthError('state_mismatch').message).toContain(
        'This sign-in response does not match a sign-in started here',
      );
      expect(sessionStorage.getItem(PENDING_SIGN_IN_KEY)).toBeNull();
      await settle();
    });

    it('refuses a response whose state is not the one sent', async () => {
      await startSignIn();
      expect(await auth.completeSignIn({ code: 'the-code', state: 'forged' })).toBeNull();
      expectAuthError('state_mismatch');
      await settle();
    });

    it('refuses a response when no sign-in was started in this tab', async () => {
      expect(await auth.completeSignIn({ code: 'the-code', state: 'whatever' })).toBeNull();
      expectAuthError('state_mismatch');
      await settle();
    });

    it('shows the error and error_description the server sent (error=access_denied)', async () => {
      const params = await startSignIn();
      const result = await auth.completeSignIn({
        state: params.get('state'),
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      });
      expect(result).toBeNull();
      const error = expectAuthError('access_denied');
      expect(error.message).toContain('access_denied');
      expect(error.description).toBe('End-User aborted interaction');
      await settle();
    });

    it('refuses a response that names another issuer (RFC 9207 mix-up defence)', async () => {
      const params = await startSignIn();
      const result = await auth.completeSignIn({
        code: 'the-code',
        state: params.get('state'),
        iss: 'https://evil.example.test',
      });
      expect(result).toBeNull();
      expectAuthError('issuer_mismatch');
      await settle();
    });

    it('exchanges the code with a DPoP proof of the sign-in key and no access token', async () => {
      const params = await startSignIn();
      const done = auth.completeSignIn({ code: 'the-code', state: params.get('state') });
      const request = await nextRequest(http, TOKEN_REQUEST);

      const body = request.request.body as HttpParams;
      expect(body.get('grant_type')).toBe('authorization_code');
      expect(body.get('code')).toBe('the-code');
      expect(body.get('redirect_uri')).toBe(TEST_CONFIG.redirectUri);
      expect(body.get('client_id')).toBe(TEST_CONFIG.clientId);
      expect(await codeChallengeS256(body.get('code_verifier')!)).toBe(
        params.get('code_challenge')!,
      );
      expect(request.request.headers.has('Authorization')).toBeFalse();
      const proof = request.request.headers.get('DPoP')!;
      expect(jwtHeader(proof)['typ']).toBe('dpop+jwt');
      expect(jwtPayload(proof)['htm']).toBe('POST');
      expect(jwtPayload(proof)['htu']).toBe(TEST_METADATA.token_endpoint);
      expect(await calculateJwkThumbprint(jwtHeader(proof)['jwk'] as JWK)).toBe(
        params.get('dpop_jkt')!,
      );

      request.flush({
        access_token: 'userinfo-token',
        token_type: 'DPoP',
        expires_in: 300,
        refresh_token: 'refresh-1',
        id_token: await signer.sign({ nonce: params.get('nonce')! }),
      });
      expect(await done).toBe('/users');
      expect(auth.status()).toBe('signed-in');
      expect(auth.user()).toEqual(
        jasmine.objectContaining({
          sub: 'alice',
          name: 'Alice Anders',
          email: 'alice@example.com',
        }),
      );
      expect(auth.displayName()).toBe('Alice Anders');
    });

    it('answers the token endpoint nonce challenge (use_dpop_nonce) once, with a fresh proof', async () => {
      const params = await startSignIn();
      const done = auth.completeSignIn({ code: 'the-code', state: params.get('state') });
      const first = await nextRequest(http, TOKEN_REQUEST);
      first.flush(
        { error: 'use_dpop_nonce', error_description: 'nonce is required in the DPoP proof' },
        { status: 400, statusText: 'Bad Request', headers: { 'DPoP-Nonce': 'server-nonce-1' } },
      );
      const second = await nextRequest(http, TOKEN_REQUEST);
      const proof = jwtPayload(second.request.headers.get('DPoP')!);
      expect(proof['nonce']).toBe('server-nonce-1');
      expect(proof['jti']).not.toBe(jwtPayload(first.request.headers.get('DPoP')!)['jti']);
      second.flush({
        access_token: 'userinfo-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-1',
        id_token: await signer.sign({ nonce: params.get('nonce')! }),
      });
      expect(await done).toBe('/users');
    });

    it('refuses Bearer tokens when DPoP was asked for, and says DPoP must be enabled', async () => {
      await signIn({ token_type: 'Bearer' });
      const error = expectAuthError('bearer_token_issued');
      expect(error.message).toContain('Bearer');
      expect(error.message).toContain('Enable DPoP');
      expect(storedSession()).toBeNull();
    });

    it('accepts the token type DPoP in any letter case', async () => {
      await signIn({ token_type: 'dpop' });
      expect(auth.status()).toBe('signed-in');
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      await signIn({ nonce: 'replayed-nonce' });
      expectAuthError('invalid_id_token');
      expect(storedSession()).toBeNull();
    });

    it('shows the token endpoint error and description (e.g. invalid_grant)', async () => {
      const params = await startSignIn();
      const done = auth.completeSignIn({ code: 'the-code', state: params.get('state') });
      (await nextRequest(http, TOKEN_REQUEST)).flush(
        { error: 'invalid_grant', error_description: 'grant request is invalid' },
        { status: 400, statusText: 'Bad Request' },
      );
      expect(await done).toBeNull();
      expect(expectAuthError('invalid_grant').description).toBe('grant request is invalid');
    });

    it('stores the session in localStorage: refresh token, the userinfo token, claims, key thumbprint', async () => {
      const params = await signIn();
      const session = storedSession()!;
      expect(session.refreshToken).toBe('refresh-1');
      expect(session.jkt).toBe(params.get('dpop_jkt')!);
      expect(session.user.sub).toBe('alice');
      expect(session.tokens[DEFAULT_RESOURCE].accessToken).toBe('userinfo-token');
      expect(session.tokens[DEFAULT_RESOURCE].expiresAt).toBeGreaterThan(Date.now() + 200_000);
    });
  });

  describe('tokens', () => {
    it('gets the API token with a refresh-token grant for its resource, and keeps the rotated refresh token', async () => {
      await signIn();
      const token = auth.accessToken(TEST_RESOURCE);
      const request = await nextRequest(http, TOKEN_REQUEST);
      const body = request.request.body as HttpParams;
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
      const session = storedSession()!;
      expect(session.refreshToken).toBe('refresh-2');
      expect(session.tokens[TEST_RESOURCE].accessToken).toBe('api-token');
      expect(session.tokens[DEFAULT_RESOURCE].accessToken).toBe('userinfo-token');

      // Valid for long enough: served from the session, no second request.
      expect(await auth.accessToken(TEST_RESOURCE)).toBe('api-token');
      expect(await auth.accessToken()).toBe('userinfo-token');
    });

    it('shares one token request between concurrent callers for the same resource', async () => {
      await signIn();
      const first = auth.accessToken(TEST_RESOURCE);
      const second = auth.accessToken(TEST_RESOURCE);
      (await nextRequest(http, TOKEN_REQUEST)).flush({
        access_token: 'api-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-2',
      });
      expect(await first).toBe('api-token');
      expect(await second).toBe('api-token');
      await settle();
      http.expectNone(TOKEN_REQUEST);
    });

    it('runs refreshes one after another, each with the newest refresh token', async () => {
      await signIn();
      const api = auth.tokenForResource(TEST_RESOURCE);
      const userinfo = auth.tokenForResource();
      const first = await nextRequest(http, TOKEN_REQUEST);
      await settle();
      http.expectNone(TOKEN_REQUEST);
      first.flush({ access_token: 'api-token', token_type: 'DPoP', refresh_token: 'refresh-2' });
      const second = await nextRequest(http, TOKEN_REQUEST);
      expect((second.request.body as HttpParams).get('refresh_token')).toBe('refresh-2');
      expect((second.request.body as HttpParams).has('resource')).toBeFalse();
      second.flush({ access_token: 'userinfo-2', token_type: 'DPoP', refresh_token: 'refresh-3' });
      expect(await api).toBe('api-token');
      expect(await userinfo).toBe('userinfo-2');
      expect(storedSession()!.refreshToken).toBe('refresh-3');
    });

    it('refreshes a token that has less than 30 seconds left', async () => {
      await signIn();
      // A 5-minute token with 20 s left (stored by an earlier page).
      const session = storedSession()!;
      session.tokens[DEFAULT_RESOURCE].issuedAt = Date.now() - 280_000;
      session.tokens[DEFAULT_RESOURCE].expiresAt = Date.now() + 20_000;
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
      TestBed.resetTestingModule();
      configure();
      await auth.restore();
      (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);

      const token = auth.accessToken();
      const request = await nextRequest(http, TOKEN_REQUEST);
      expect((request.request.body as HttpParams).get('grant_type')).toBe('refresh_token');
      request.flush({ access_token: 'userinfo-2', token_type: 'DPoP', expires_in: 300 });
      expect(await token).toBe('userinfo-2');
      expect(storedSession()!.refreshToken).toBe('refresh-1');
    });

    it('uses a short-lived token (ACCESS_TOKEN_TTL=5) for most of its life: the margin is a quarter of it', async () => {
      await signIn({ expires_in: 5 });
      // 5 s left, more than a quarter of 5 s: no refresh (a fixed 30 s margin would refresh always).
      expect(await auth.accessToken()).toBe('userinfo-token');
      await settle();
      http.expectNone(TOKEN_REQUEST);
    });

    it('refuses a Bearer token from a refresh too', async () => {
      await signIn();
      const token = auth.accessToken(TEST_RESOURCE);
      (await nextRequest(http, TOKEN_REQUEST)).flush({ access_token: 'x', token_type: 'Bearer' });
      await expectAsync(token).toBeRejectedWith(
        jasmine.objectContaining({ code: 'bearer_token_issued' }),
      );
    });

    it('signs out with a message when the refresh token is refused (invalid_grant), without retrying', async () => {
      await signIn();
      const before = await keyStore.thumbprint();
      const token = auth.accessToken(TEST_RESOURCE);
      (await nextRequest(http, TOKEN_REQUEST)).flush(
        { error: 'invalid_grant', error_description: 'grant request is invalid' },
        { status: 400, statusText: 'Bad Request' },
      );
      await expectAsync(token).toBeRejectedWith(
        jasmine.objectContaining({ code: 'session_expired' }),
      );
      expect(auth.status()).toBe('signed-out');
      expect(auth.user()).toBeNull();
      expect(auth.notice()).toContain('Your session has ended');
      expect(storedSession()).toBeNull();
      expect(await keyStore.thumbprint()).not.toBe(before);
      // Signed out now: no token, and no further requests.
      expect(await auth.accessToken(TEST_RESOURCE)).toBeNull();
      await settle();
      http.expectNone(TOKEN_REQUEST);
    });

    it('gives the interceptor the API token: GET <api>/users carries Authorization: DPoP and a proof with ath', async () => {
      await signIn();
      const users = firstValueFrom(TestBed.inject(HttpClient).get(`${TEST_API}users`));
      (await nextRequest(http, TOKEN_REQUEST)).flush({
        access_token: 'api-token',
        token_type: 'DPoP',
        refresh_token: 'refresh-2',
      });
      const call = await nextRequest(http, `${TEST_API}users`);
      expect(call.request.headers.get('Authorization')).toBe('DPoP api-token');
      const proof = jwtPayload(call.request.headers.get('DPoP')!);
      expect(proof['htm']).toBe('GET');
      expect(proof['ath']).toEqual(jasmine.any(String));
      call.flush([]);
      expect(await users).toEqual([]);
    });

    it('registers the userinfo endpoint in the DPoP allow-list with the sign-in token', async () => {
      await signIn();
      const endpoint = await auth.userinfoEndpoint();
      expect(endpoint).toBe(TEST_METADATA.userinfo_endpoint!);
      const claims = firstValueFrom(TestBed.inject(HttpClient).get(endpoint));
      const call = await nextRequest(http, endpoint);
      expect(call.request.headers.get('Authorization')).toBe('DPoP userinfo-token');
      call.flush({ sub: 'alice' });
      expect(await claims).toEqual({ sub: 'alice' });
    });
  });

  describe('session restore', () => {
    it('keeps the user signed in after a reload, with the same DPoP key', async () => {
      await signIn();
      const jkt = await keyStore.thumbprint();

      // "Reload": a new injector over the same localStorage and IndexedDB database.
      TestBed.resetTestingModule();
      configure();
      await auth.restore();
      (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);

      expect(auth.status()).toBe('signed-in');
      expect(auth.user()?.sub).toBe('alice');
      expect(await keyStore.thumbprint()).toBe(jkt);
      expect(await auth.accessToken()).toBe('userinfo-token');
    });

    it('drops a session quietly when its DPoP key is gone', async () => {
      const session: Session = {
        jkt: 'thumbprint-of-a-key-that-is-gone',
        refreshToken: 'refresh-1',
        idToken: 'x.y.z',
        user: { sub: 'alice' },
        tokens: {},
      };
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
      await auth.restore();
      expect(auth.status()).toBe('signed-out');
      expect(auth.error()).toBeNull();
      expect(auth.notice()).toBeNull();
      expect(storedSession()).toBeNull();
      expect(await auth.accessToken()).toBeNull();
    });

    it('stays signed out when there is no session', async () => {
      await auth.restore();
      expect(auth.status()).toBe('signed-out');
      expect(auth.isSignedIn()).toBeFalse();
    });
  });

  describe('sign-out', () => {
    it('deletes the session and the DPoP key, then ends the server session (RP-initiated logout)', async () => {
      await signIn();
      const idToken = storedSession()!.idToken;
      const jkt = await keyStore.thumbprint();
      redirects.length = 0;

      await auth.signOut();

      expect(auth.status()).toBe('signed-out');
      expect(auth.user()).toBeNull();
      expect(storedSession()).toBeNull();
      expect(await auth.accessToken()).toBeNull();
      expect(await keyStore.thumbprint())
        .withContext('a new key after clear()')
        .not.toBe(jkt);
      const logout = new URL(redirects[0]);
      expect(logout.origin + logout.pathname).toBe(TEST_METADATA.end_session_endpoint!);
      expect(logout.searchParams.get('id_token_hint')).toBe(idToken);
      expect(logout.searchParams.get('client_id')).toBe(TEST_CONFIG.clientId);
      expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(
        TEST_CONFIG.postLogoutRedirectUri,
      );
    });
  });
});
