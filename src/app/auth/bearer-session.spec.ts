import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { APP_CONFIG } from '../config/app-config';
import { DpopKeyStore } from '../dpop';
import { Auth } from './auth';
import {
  DISCOVERY_URL,
  IdTokenSigner,
  nextRequest,
  provideAuthTesting,
  TEST_API,
  TEST_CONFIG,
  TEST_ISSUER,
  TEST_METADATA,
  TEST_RESOURCE,
} from './auth-testing';
import { AuthTokenSource } from './auth-token-source';
import { PENDING_SIGN_IN_KEY } from './pending-sign-in';
import { Session, SESSION_KEY } from './session-store';

const BEARER_CLIENT = 'dpop-lab-bearer';
const TOKEN_REQUEST = { method: 'POST', url: TEST_METADATA.token_endpoint };

/**
 * The walkthrough's "plain bearer tokens" sessions: the bearer client, no DPoP anywhere, the
 * token type carried explicitly to the interceptor. A DPoP session never takes a Bearer token.
 */
describe('Auth with the bearer client (plain bearer tokens)', () => {
  let signer: IdTokenSigner;
  let redirects: string[];
  let auth: Auth;
  let http: HttpTestingController;
  let keyStore: DpopKeyStore;

  beforeAll(async () => {
    signer = await IdTokenSigner.create();
  });

  let databaseName: string;

  function configure(bearerClientId: string | null = BEARER_CLIENT): void {
    TestBed.configureTestingModule({
      providers: [
        ...provideAuthTesting({ redirects, signer, databaseName }),
        {
          provide: APP_CONFIG,
          useValue: bearerClientId ? { ...TEST_CONFIG, bearerClientId } : TEST_CONFIG,
        },
      ],
    });
    auth = TestBed.inject(Auth);
    http = TestBed.inject(HttpTestingController);
    keyStore = TestBed.inject(DpopKeyStore);
  }

  beforeEach(() => {
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    redirects = [];
    databaseName = `dpop-lab-bearer-spec-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    http.verify();
    await keyStore.clear();
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
  });

  async function startBearerSignIn(): Promise<URLSearchParams> {
    const started = auth.signIn('/users', { tokenType: 'Bearer' });
    (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);
    await started;
    return new URL(redirects[0]).searchParams;
  }

  async function bearerSignIn(tokenType = 'Bearer'): Promise<string | null> {
    const params = await startBearerSignIn();
    const done = auth.completeSignIn({ code: 'c', state: params.get('state'), iss: TEST_ISSUER });
    const exchange = await nextRequest(http, TOKEN_REQUEST);
    expect(exchange.request.headers.has('DPoP')).withContext('no proof: no binding').toBeFalse();
    expect((exchange.request.body as { get(name: string): string }).get('client_id')).toBe(
      BEARER_CLIENT,
    );
    exchange.flush({
      access_token: 'userinfo-token',
      token_type: tokenType,
      expires_in: 300,
      refresh_token: 'refresh-1',
      id_token: await signer.sign({ aud: BEARER_CLIENT, nonce: params.get('nonce')! }),
    });
    return done;
  }

  it('asks for a code for the bearer client, without dpop_jkt', async () => {
    configure();
    const params = await startBearerSignIn();
    expect(params.get('client_id')).toBe(BEARER_CLIENT);
    expect(params.has('dpop_jkt')).toBeFalse();
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.getAll('resource')).toEqual([TEST_RESOURCE]);
  });

  it('takes token_type Bearer without a proof; the session says Bearer, also after a reload', async () => {
    configure();
    expect(await bearerSignIn()).toBe('/users');
    expect(auth.isSignedIn()).toBeTrue();
    expect(auth.tokenType()).toBe('Bearer');
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY)!) as Session;
    expect(stored.tokenType).toBe('Bearer');
    expect(stored.clientId).toBe(BEARER_CLIENT);

    TestBed.resetTestingModule();
    configure();
    await auth.restore();
    (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA); // learns the userinfo endpoint
    expect(auth.isSignedIn()).toBeTrue();
    expect(auth.tokenType()).toBe('Bearer');
  });

  it('refuses a DPoP token for a bearer sign-in: not what the comparison asked for', async () => {
    configure();
    expect(await bearerSignIn('DPoP')).toBeNull();
    expect(auth.error()?.code).toBe('invalid_token_response');
  });

  it('refreshes for the API without a proof and gives the interceptor a Bearer token', async () => {
    configure();
    await bearerSignIn();
    const source = TestBed.inject(AuthTokenSource);
    const typed = source.getAccessToken({ url: TEST_API, resource: TEST_RESOURCE });
    const refresh = await nextRequest(http, TOKEN_REQUEST);
    expect(refresh.request.headers.has('DPoP')).toBeFalse();
    const form = refresh.request.body as { get(name: string): string };
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('client_id')).toBe(BEARER_CLIENT);
    expect(form.get('resource')).toBe(TEST_RESOURCE);
    refresh.flush({ access_token: 'api-token', token_type: 'Bearer', expires_in: 300 });
    expect(await typed).toEqual({ token: 'api-token', type: 'Bearer' });

    const users = firstValueFrom(TestBed.inject(HttpClient).get(`${TEST_API}users`));
    const call = await nextRequest(http, `${TEST_API}users`);
    expect(call.request.headers.get('Authorization')).toBe('Bearer api-token');
    expect(call.request.headers.has('DPoP')).toBeFalse();
    call.flush([]);
    await users;
  });

  it('signs out at the server with the bearer client id', async () => {
    configure();
    await bearerSignIn();
    redirects.length = 0;
    await auth.signOut();
    const url = new URL(redirects[0]);
    expect(url.searchParams.get('client_id')).toBe(BEARER_CLIENT);
    expect(auth.tokenType()).toBe('DPoP');
  });

  it('cannot start without a bearer client in config.json, and says so', async () => {
    configure(null);
    expect(auth.bearerAvailable).toBeFalse();
    const started = auth.signIn('/', { tokenType: 'Bearer' });
    (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);
    await started;
    expect(auth.error()?.code).toBe('bearer_client_missing');
    expect(redirects).toEqual([]);
  });

  it('a DPoP session still refuses token_type Bearer and hands the interceptor DPoP tokens', async () => {
    configure();
    const started = auth.signIn('/users');
    (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);
    await started;
    const params = new URL(redirects[0]).searchParams;
    expect(params.get('client_id')).toBe(TEST_CONFIG.clientId);
    const done = auth.completeSignIn({ code: 'c', state: params.get('state'), iss: TEST_ISSUER });
    const exchange = await nextRequest(http, TOKEN_REQUEST);
    expect(exchange.request.headers.has('DPoP')).toBeTrue();
    exchange.flush({
      access_token: 'x',
      token_type: 'Bearer',
      id_token: await signer.sign({ nonce: params.get('nonce')! }),
    });
    expect(await done).toBeNull();
    expect(auth.error()?.code).toBe('bearer_token_issued');
    expect(auth.tokenType()).toBe('DPoP');
  });
});
