import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { openDB } from 'idb';
import { calculateJwkThumbprint, generateKeyPair, JWK, SignJWT } from 'jose';
import { DpopKeyStore } from '../dpop';
import { Auth } from './auth';
import {
  DISCOVERY_URL,
  IdTokenSigner,
  jwtHeader,
  nextRequest,
  provideAuthTesting,
  settle,
  TEST_ISSUER,
  TEST_METADATA,
  TEST_RESOURCE,
} from './auth-testing';
import { OidcMetadata } from './oidc-discovery';
import { PENDING_SIGN_IN_KEY } from './pending-sign-in';
import { SESSION_KEY } from './session-store';

const TOKEN_REQUEST = { method: 'POST', url: TEST_METADATA.token_endpoint };

/** Storage refusal, algorithm negotiation and binding checks in the sign-in flow. */
describe('Auth hardening', () => {
  let signer: IdTokenSigner;
  let redirects: string[];
  let databaseName: string;
  let auth: Auth;
  let http: HttpTestingController;
  let keyStore: DpopKeyStore;

  beforeAll(async () => {
    signer = await IdTokenSigner.create();
  });

  /** A new injector over the same storage: what a page load (or the callback page) gets. */
  function configure(): void {
    TestBed.resetTestingModule();
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
    databaseName = `dpop-lab-hardening-${crypto.randomUUID()}`;
    configure();
  });

  afterEach(async () => {
    http.verify();
    await keyStore.clear().catch(() => undefined);
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
  });

  async function startSignIn(metadata: OidcMetadata = TEST_METADATA): Promise<URLSearchParams> {
    const started = auth.signIn('/users');
    (await nextRequest(http, DISCOVERY_URL)).flush(metadata);
    await started;
    expect(redirects.length).withContext('redirected to the authorization server').toBe(1);
    return new URL(redirects[0]).searchParams;
  }

  /**
   * Answers the code exchange with `accessToken` (and discovery, on a new page); returns the
   * proof the request carried.
   */
  async function finishSignIn(params: URLSearchParams, accessToken = 'userinfo-token') {
    const done = auth.completeSignIn({ code: 'c', state: params.get('state'), iss: TEST_ISSUER });
    await settle();
    http.match(DISCOVERY_URL).forEach((discovery) => discovery.flush(TEST_METADATA));
    const request = await nextRequest(http, TOKEN_REQUEST);
    request.flush({
      access_token: accessToken,
      token_type: 'DPoP',
      expires_in: 300,
      refresh_token: 'refresh-1',
      id_token: await signer.sign({ nonce: params.get('nonce')! }),
    });
    return { result: await done, proof: request.request.headers.get('DPoP')! };
  }

  /** A JWT access token as the embedded server issues it for the API (RFC 9068), bound to `jkt`. */
  async function jwtAccessToken(cnf?: { jkt: string }): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT({ sub: 'alice', aud: TEST_RESOURCE, ...(cnf ? { cnf } : {}) })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(TEST_ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  }

  it('a signed-out start probes the storage but keeps no key (the probe deletes its throwaway key)', async () => {
    await auth.restore();
    expect(keyStore.storage()).toBe('indexeddb');
    const db = await openDB(databaseName);
    try {
      expect(await db.count('keys')).toBe(0);
    } finally {
      db.close();
    }
  });

  describe('when the browser refuses to store the key (memory-only key)', () => {
    beforeEach(() => {
      // What a private mode or blocked site data does: IndexedDB cannot be opened.
      spyOn(indexedDB, 'open').and.throwError(new DOMException('denied', 'SecurityError'));
    });

    it('still signs in: no dpop_jkt (the key would not survive the redirect), tokens bound to the callback page key', async () => {
      await auth.restore();
      expect(keyStore.storage()).toBe('memory');
      const params = await startSignIn();
      expect(params.has('dpop_jkt')).toBeFalse();
      expect(params.get('code_challenge_method')).toBe('S256');

      configure(); // the callback is a new page: a new memory-only key
      await auth.restore();
      const { result, proof } = await finishSignIn(params);
      expect(result).toBe('/users');
      expect(auth.status()).toBe('signed-in');
      expect(await calculateJwkThumbprint(jwtHeader(proof)['jwk'] as JWK)).toBe(
        await keyStore.thumbprint(),
      );
    });

    it('keeps that session out of localStorage (it could not outlive the key) and leaves other tabs’ session alone', async () => {
      const theirs = JSON.stringify({
        jkt: 'x',
        idToken: 'a.b.c',
        user: { sub: 'bob' },
        tokens: {},
      });
      localStorage.setItem(SESSION_KEY, theirs);
      await auth.restore();
      expect(auth.status()).toBe('signed-out');
      const params = await startSignIn();
      expect(localStorage.getItem(SESSION_KEY)).toBe(theirs);
      configure();
      await auth.restore();
      await finishSignIn(params);
      expect(auth.status()).toBe('signed-in');
      expect(localStorage.getItem(SESSION_KEY)).toBe(theirs);
    });
  });

  describe('algorithm negotiation', () => {
    it('signs in with a PS256 key when discovery lists only PS256: dpop_jkt and proofs use it', async () => {
      const params = await startSignIn({
        ...TEST_METADATA,
        dpop_signing_alg_values_supported: ['PS256'],
      });
      expect(await keyStore.algorithm()).toBe('PS256');
      expect(params.get('dpop_jkt')).toBe(await keyStore.thumbprint());
      const { proof } = await finishSignIn(params);
      expect(jwtHeader(proof)['alg']).toBe('PS256');
      expect(auth.status()).toBe('signed-in');
    });

    it('says plainly when the server accepts no algorithm this app can sign with', async () => {
      const started = auth.signIn('/');
      (await nextRequest(http, DISCOVERY_URL)).flush({
        ...TEST_METADATA,
        dpop_signing_alg_values_supported: ['ES512', 'Ed448'],
      });
      await started;
      expect(redirects).toEqual([]);
      expect(auth.status()).toBe('error');
      expect(auth.error()?.code).toBe('dpop_not_supported');
      expect(auth.error()?.message).toContain('accepts ES512, Ed448');
      expect(auth.error()?.message).toContain('this app signs with ES256');
    });
  });

  describe('binding checks (RFC 9449 §6.1)', () => {
    it('refuses a JWT access token bound to another key (cnf.jkt) from the code exchange', async () => {
      const params = await startSignIn();
      const { result } = await finishSignIn(
        params,
        await jwtAccessToken({ jkt: 'thumbprint-of-another-key' }),
      );
      expect(result).toBeNull();
      expect(auth.error()?.code).toBe('token_not_bound');
      expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    });

    it('accepts a JWT access token whose cnf.jkt is this key, and refuses one without cnf from a refresh', async () => {
      const params = await startSignIn();
      const bound = await jwtAccessToken({ jkt: await keyStore.thumbprint() });
      expect((await finishSignIn(params, bound)).result).toBe('/users');

      const api = auth.accessToken(TEST_RESOURCE);
      (await nextRequest(http, TOKEN_REQUEST)).flush({
        access_token: await jwtAccessToken(),
        token_type: 'DPoP',
        expires_in: 300,
      });
      await expectAsync(api).toBeRejectedWith(
        jasmine.objectContaining({ code: 'token_not_bound' }),
      );
      await settle();
    });

    it('refuses a response whose token_type is not DPoP (the server ignored the proof)', async () => {
      const params = await startSignIn();
      const done = auth.completeSignIn({ code: 'c', state: params.get('state'), iss: TEST_ISSUER });
      (await nextRequest(http, TOKEN_REQUEST)).flush({
        access_token: 'a',
        token_type: 'Bearer',
        id_token: await signer.sign({ nonce: params.get('nonce')! }),
      });
      expect(await done).toBeNull();
      expect(auth.error()?.code).toBe('bearer_token_issued');
    });
  });
});
