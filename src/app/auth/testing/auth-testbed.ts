/**
 * The sign-in code's test fixture. `const t = authTestbed()` in a `describe` wires providers as
 * `appConfig()` does — the real interceptor, DPoP core, WebCrypto, IndexedDB, Web Locks — with
 * `HttpTestingController` as the authorization server and API, a captured redirect, and databases
 * of its own per test. Its helpers play the server's part of a sign-in.
 */
import { HttpClient, HttpParams, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { deleteDB } from 'idb';
import {
  Dpop,
  dpopInterceptor,
  provideDpop,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withTokenSource,
} from '@dpop-lab/angular';
import { DpopDevtools, withDpopDevtools } from '@dpop-lab/angular/devtools';
import { nextDpopRequest as nextRequest } from '@dpop-lab/angular/testing';
import { createLocalJWKSet, decodeJwt, generateKeyPair, SignJWT } from 'jose';

import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Auth } from '../auth';
import { AuthError, AuthErrorCode } from '../auth-error';
import { AuthTokenSource } from '../auth-token-source';
import { BROWSER_REDIRECT } from '../browser-redirect';
import { JWKS_RESOLVER } from '../id-token';
import { OidcMetadata } from '../oidc-discovery';
import { PENDING_SIGN_IN_KEY } from '../pending-sign-in';
import { Session } from '../session';
import { SESSION_STORE_NAME, SharedSessions } from '../shared-sessions';
import { IdTokenSigner } from './id-token-signer';
import {
  DISCOVERY_URL,
  TEST_API,
  TEST_CONFIG,
  TEST_ISSUER,
  TEST_METADATA,
  REVOCATION_REQUEST,
  TEST_RESOURCE,
  TOKEN_REQUEST,
} from './test-config';

export { nextRequest };
export * from './test-config';

export interface AuthTestbedOptions {
  /** Replaces fields of the test config.json. */
  config?: Partial<AppConfig>;
  /** More providers. */
  providers?: (Provider | EnvironmentProviders)[];
}

/**
 * What the token endpoint answers to the code exchange; `nonce` goes into the ID token, whose
 * `aud` is the client that asked, and the refresh token is `refresh-1`.
 */
export interface TokenAnswer {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  nonce?: string;
  /** More (or, as undefined, fewer) ID-token claims, e.g. `{ name: undefined }`. */
  idTokenClaims?: Record<string, unknown>;
}

export interface AuthTestbed {
  auth: Auth;
  dpop: Dpop;
  /** The key's public facts and the exchanges, as the lab reads them. */
  devtools: DpopDevtools;
  http: HttpClient;
  backend: HttpTestingController;
  /** Every URL the app sent the browser to. */
  redirects: string[];
  signer: IdTokenSigner;
  /** A new injector over the same storage: what a page load (or the callback page) gets. */
  reload(): void;
  /**
   * What a page load does at start: `Auth.restore()` (the app initializer), then waits for the
   * check of where keys can live, which restore() leaves running (the first page does not wait).
   */
  restore(): Promise<void>;
  /** Starts sign-in and answers discovery; the authorization request's parameters. */
  startSignIn(returnUrl?: string, options?: { metadata?: OidcMetadata }): Promise<URLSearchParams>;
  /** Completes the callback of `params` and answers the code exchange with `answer`. */
  finishSignIn(
    params: URLSearchParams,
    answer?: TokenAnswer,
  ): Promise<{ result: string | null; exchange: TestRequest }>;
  /** Signs in all the way (authorization request, callback, code exchange). */
  signIn(answer?: TokenAnswer): Promise<URLSearchParams>;
  /** The next request to the token endpoint. */
  tokenRequest(): Promise<TestRequest>;
  /** Signs out, answering the revocation of the refresh token (RFC 7009) with 200; that request. */
  signOut(): Promise<TestRequest>;
  /** The session as it is stored (IndexedDB), or null. */
  storedSession(): Promise<Session | null>;
  /** Stores `session` as another tab would (and tells this one). */
  storeAsOtherTab(session: Session | null): Promise<void>;
  /** `auth.error()`, checked to be an `AuthError` with `code`. */
  expectAuthError(code: AuthErrorCode): AuthError;
}

/** Registers the set-up and clean-up of each test of the enclosing `describe`. */
export function authTestbed(options: AuthTestbedOptions = {}): AuthTestbed {
  let databaseName = '';
  let sessionStoreName = '';
  const t = { redirects: [] as string[] } as AuthTestbed;

  const configure = () => {
    TestBed.configureTestingModule({
      providers: [
        { provide: APP_CONFIG, useValue: { ...TEST_CONFIG, ...options.config } },
        provideHttpClient(withInterceptors([dpopInterceptor])),
        provideHttpClientTesting(),
        provideDpop(
          withAllowList([{ url: TEST_API, resource: TEST_RESOURCE }]),
          withTokenSource(AuthTokenSource),
          withKeyStorage({ databaseName, memoryFallback: true }),
          withClockSkewCorrection(),
          withDpopDevtools(),
        ),
        { provide: SESSION_STORE_NAME, useValue: sessionStoreName },
        { provide: BROWSER_REDIRECT, useValue: (url: string) => t.redirects.push(url) },
        { provide: JWKS_RESOLVER, useValue: () => createLocalJWKSet(t.signer.jwks) },
        ...(options.providers ?? []),
      ],
    });
    t.auth = TestBed.inject(Auth);
    t.dpop = TestBed.inject(Dpop);
    t.devtools = TestBed.inject(DpopDevtools);
    t.http = TestBed.inject(HttpClient);
    t.backend = TestBed.inject(HttpTestingController);
  };

  beforeAll(async () => {
    t.signer = await IdTokenSigner.create();
  });
  beforeEach(() => {
    databaseName = `dpop-lab-test-keys-${crypto.randomUUID()}`;
    sessionStoreName = `dpop-lab-test-session-${crypto.randomUUID()}`;
    t.redirects.length = 0;
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    configure();
  });
  afterEach(async () => {
    t.backend.verify();
    TestBed.resetTestingModule();
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    await Promise.all([deleteDB(databaseName), deleteDB(sessionStoreName)]);
  });

  t.reload = () => {
    TestBed.resetTestingModule();
    configure();
  };
  t.restore = async () => {
    await t.auth.restore();
    await waitFor(() => t.dpop.storage() !== 'unknown', 'the start-up storage check to finish');
  };
  t.startSignIn = async (returnUrl = '/users', { metadata = TEST_METADATA } = {}) => {
    const started = t.auth.signIn(returnUrl);
    (await nextRequest(t.backend, DISCOVERY_URL)).flush(metadata);
    await started;
    if (t.redirects.length !== 1)
      throw new Error(`expected one redirect, got ${t.redirects.length}`);
    return new URL(t.redirects[0]).searchParams;
  };
  t.finishSignIn = async (params, answer = {}) => {
    const result = t.auth.completeSignIn({
      code: 'the-code',
      state: params.get('state'),
      iss: TEST_ISSUER,
    });
    await settle();
    // A callback page loads discovery again (a new page); the same page has it cached.
    t.backend.match(DISCOVERY_URL).forEach((discovery) => discovery.flush(TEST_METADATA));
    const exchange = await t.tokenRequest();
    exchange.flush({
      access_token: answer.access_token ?? 'userinfo-token',
      token_type: answer.token_type ?? 'DPoP',
      expires_in: answer.expires_in ?? 300,
      refresh_token: 'refresh-1',
      id_token: await t.signer.sign({
        aud: formOf(exchange).get('client_id')!,
        nonce: answer.nonce ?? params.get('nonce')!,
        ...answer.idTokenClaims,
      }),
    });
    return { result: await result, exchange };
  };
  t.signIn = async (answer = {}) => {
    const params = await t.startSignIn('/users');
    await t.finishSignIn(params, answer);
    return params;
  };
  t.tokenRequest = () => nextRequest(t.backend, TOKEN_REQUEST);
  t.signOut = async () => {
    const done = t.auth.signOut();
    const revocation = await nextRequest(t.backend, REVOCATION_REQUEST);
    revocation.flush('');
    await done;
    return revocation;
  };
  t.storedSession = () => TestBed.inject(SharedSessions).load();
  t.storeAsOtherTab = (session) =>
    TestBed.runInInjectionContext(() => new SharedSessions()).save(session);
  t.expectAuthError = (code) => {
    const error = t.auth.error();
    if (!(error instanceof AuthError))
      throw new Error(`expected an AuthError ${code}, got ${error}`);
    if (error.code !== code)
      throw new Error(`expected AuthError ${code}, got ${error.code}: ${error.message}`);
    return error;
  };
  return t;
}

/** Lets pending promises and timers run (e.g. to prove that nothing was sent). */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves once `condition()` holds, checking every few milliseconds; fails after `timeoutMs`,
 * naming `what` it waited for.
 */
export async function waitFor(
  condition: () => boolean,
  what = 'the condition',
  timeoutMs = 3000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await settle(5);
  }
}

/** A JWT access token as the embedded server issues it for the API (RFC 9068), bound to `jkt`. */
export async function jwtAccessToken(jkt?: string): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT({ sub: 'alice', aud: TEST_RESOURCE, ...(jkt ? { cnf: { jkt } } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer(TEST_ISSUER)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

/** The form fields of a token request. */
export function formOf(request: TestRequest): HttpParams {
  return request.request.body as HttpParams;
}

/** The claims of the request's DPoP proof, decoded (the DPoP core's own tests verify them). */
export function proofClaimsOf(request: TestRequest): Record<string, unknown> {
  return decodeJwt(request.request.headers.get('DPoP') ?? '');
}
