/**
 * Test helpers for the sign-in code (used by the *.spec.ts files, never by the app): a test
 * configuration and discovery document, providers wired like the app's, a signer for ID
 * tokens, and a way to wait for a request that the (asynchronous) DPoP interceptor sends.
 */
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { computed, EnvironmentProviders, Provider, signal } from '@angular/core';
import { createLocalJWKSet, exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import {
  dpopInterceptor,
  provideDpop,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withMemoryKeyFallback,
  withTokenSource,
} from '../dpop';
import { AuthStatus, CallbackParams } from './auth';
import { AuthError } from './auth-error';
import { AuthTokenSource } from './auth-token-source';
import { BROWSER_REDIRECT } from './browser-redirect';
import { JWKS_RESOLVER } from './id-token';
import { SESSION_SYNC_NAME } from './session-sync';
import { OidcMetadata } from './oidc-discovery';
import { UserClaims } from './session-store';

export const TEST_ISSUER = 'https://as.example.test';
export const TEST_API = 'https://api.example.test/api/';
export const TEST_RESOURCE = 'https://api.example.test/api';

export const TEST_CONFIG: AppConfig = {
  issuer: TEST_ISSUER,
  clientId: 'dpop-lab-spa',
  scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read'],
  redirectPath: '/login/callback',
  redirectUri: 'http://localhost:4200/login/callback',
  postLogoutRedirectPath: '/',
  postLogoutRedirectUri: 'http://localhost:4200/',
  api: { baseUrl: TEST_API, resource: TEST_RESOURCE },
};

export const TEST_METADATA: OidcMetadata = {
  issuer: TEST_ISSUER,
  authorization_endpoint: `${TEST_ISSUER}/auth`,
  token_endpoint: `${TEST_ISSUER}/token`,
  jwks_uri: `${TEST_ISSUER}/jwks`,
  userinfo_endpoint: `${TEST_ISSUER}/me`,
  end_session_endpoint: `${TEST_ISSUER}/session/end`,
  code_challenge_methods_supported: ['S256'],
  dpop_signing_alg_values_supported: ['ES256', 'RS256'],
};

export const DISCOVERY_URL = `${TEST_ISSUER}/.well-known/openid-configuration`;

/** Signs ID tokens the way the test "authorization server" would, with its own key. */
export class IdTokenSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwks: { keys: JsonWebKey[] },
  ) {}

  static async create(kid = 'test-key'): Promise<IdTokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    return new IdTokenSigner(privateKey, { keys: [jwk as JsonWebKey] });
  }

  /** An ID token for alice; `overrides` replace claims (`undefined` removes one). */
  sign(overrides: JWTPayload = {}, kid = 'test-key'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      iss: TEST_ISSUER,
      aud: TEST_CONFIG.clientId,
      sub: 'alice',
      name: 'Alice Anders',
      email: 'alice@example.com',
      iat: now,
      exp: now + 300,
      ...overrides,
    };
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete claims[name];
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .sign(this.privateKey);
  }
}

export interface AuthTestingOptions {
  /** Receives every URL the app would send the browser to. */
  redirects: string[];
  signer?: IdTokenSigner;
  /** A database of its own per test, so tests never share a DPoP key. */
  databaseName?: string;
  /** The cross-tab lock and channel name; default one of its own per test. */
  sessionSyncName?: string;
}

/** Providers wired like `appConfig()`, with HttpTestingController and a captured redirect. */
export function provideAuthTesting(
  options: AuthTestingOptions,
): (Provider | EnvironmentProviders)[] {
  const providers: (Provider | EnvironmentProviders)[] = [
    { provide: APP_CONFIG, useValue: TEST_CONFIG },
    provideHttpClient(withInterceptors([dpopInterceptor])),
    provideHttpClientTesting(),
    provideDpop(
      withAllowList([{ url: TEST_API, resource: TEST_RESOURCE }]),
      withTokenSource(AuthTokenSource),
      withKeyStorage({
        databaseName: options.databaseName ?? `dpop-lab-test-${crypto.randomUUID()}`,
      }),
      withClockSkewCorrection(),
      withMemoryKeyFallback(),
    ),
    {
      provide: SESSION_SYNC_NAME,
      useValue: options.sessionSyncName ?? `dpop-lab-test-${crypto.randomUUID()}`,
    },
    { provide: BROWSER_REDIRECT, useValue: (url: string) => options.redirects.push(url) },
  ];
  const signer = options.signer;
  if (signer) {
    providers.push({ provide: JWKS_RESOLVER, useValue: () => createLocalJWKSet(signer.jwks) });
  }
  return providers;
}

type RequestMatch = Parameters<HttpTestingController['match']>[0];

/**
 * Waits for one request matching `match`: the DPoP interceptor signs proofs asynchronously,
 * so requests reach the testing backend a few ticks after the call.
 */
export async function nextRequest(
  http: HttpTestingController,
  match: RequestMatch,
  timeoutMs = 3000,
): Promise<TestRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = http.match(match);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new Error(`${found.length} requests matched, expected one.`);
    if (Date.now() > deadline) {
      throw new Error(`No request matching ${JSON.stringify(match)} within ${timeoutMs} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Lets pending promises and timers run (e.g. to prove that no request was sent). */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Decodes a JWT's payload without checking it (to read a DPoP proof in a test). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(part)) as Record<string, unknown>;
}

/** Decodes a JWT's protected header without checking it. */
export function jwtHeader(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(part)) as Record<string, unknown>;
}

/**
 * Stands in for `Auth` in view tests (`{ provide: Auth, useValue: new FakeAuth() }`): the same
 * signals, methods that do nothing; spy on them to see the calls.
 */
export class FakeAuth {
  readonly status = signal<AuthStatus>('signed-out');
  readonly user = signal<UserClaims | null>(null);
  readonly error = signal<AuthError | null>(null);
  readonly notice = signal<string | null>(null);
  readonly isSignedIn = computed(() => this.status() === 'signed-in');
  readonly displayName = computed(() => this.user()?.name ?? this.user()?.sub ?? null);
  readonly tokenType = signal<'DPoP' | 'Bearer'>('DPoP');
  bearerAvailable = true;

  signInAs(user: UserClaims = { sub: 'alice', name: 'Alice Anders' }): void {
    this.user.set(user);
    this.status.set('signed-in');
  }

  failWith(error: AuthError): void {
    this.error.set(error);
    this.status.set('error');
  }

  async signIn(_returnUrl = '/', _options: { tokenType?: 'DPoP' | 'Bearer' } = {}): Promise<void> {
    this.status.set('signing-in');
  }

  async signOut(): Promise<void> {
    this.user.set(null);
    this.status.set('signed-out');
  }

  async completeSignIn(_params: CallbackParams): Promise<string | null> {
    return '/';
  }

  async userinfoEndpoint(): Promise<string> {
    return TEST_METADATA.userinfo_endpoint!;
  }

  dismiss(): void {
    this.notice.set(null);
    this.error.set(null);
  }
}
