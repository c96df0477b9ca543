import {
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  HttpHeaders,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { deleteDB } from 'idb';
import { EmbeddedJWK, JWTPayload, jwtVerify } from 'jose';
import { firstValueFrom, Observable } from 'rxjs';

import { withDpopProof } from './dpop-context';
import { DpopError } from './dpop-error';
import { DpopEvents, DpopExchange } from './dpop-events';
import { dpopInterceptor } from './dpop-interceptor';
import { DpopNonces } from './dpop-nonces';
import { accessTokenHash, DpopProofs } from './dpop-proofs';
import { DpopResource } from './dpop-resource';
import { DpopTokenSource } from './dpop-token-source';
import { provideDpop, withAllowList, withKeyStorage, withTokenSource } from './provide-dpop';

const API = 'http://localhost:3001/api/';
const USERS = `${API}users`;
const TOKEN_ENDPOINT = 'http://localhost:3000/token';
const API_RESOURCE: DpopResource = { url: API, resource: 'http://localhost:3001' };

/** Faking the token source is fine: it is the app's seam. The crypto and storage stay real. */
@Injectable()
class FakeTokenSource extends DpopTokenSource {
  token: string | null = 't';
  readonly asked: DpopResource[] = [];

  async getAccessToken(resource: DpopResource): Promise<string | null> {
    this.asked.push(resource);
    return this.token;
  }
}

type Outcome = { value: unknown } | { error: unknown };

describe('dpopInterceptor (real WebCrypto and IndexedDB, HttpTestingController)', () => {
  let databaseName: string;
  let http: HttpClient;
  let httpTesting: HttpTestingController;
  let tokens: FakeTokenSource;
  let exchanges: DpopExchange[];

  beforeEach(() => {
    databaseName = `dpop-test-${crypto.randomUUID()}`;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([dpopInterceptor])),
        provideHttpClientTesting(),
        provideDpop(
          withAllowList([API_RESOURCE]),
          withTokenSource(FakeTokenSource),
          withKeyStorage({ databaseName }),
        ),
      ],
    });
    http = TestBed.inject(HttpClient);
    httpTesting = TestBed.inject(HttpTestingController);
    tokens = TestBed.inject(DpopTokenSource) as FakeTokenSource;
    exchanges = [];
    TestBed.inject(DpopEvents).exchanges.subscribe((exchange) => exchanges.push(exchange));
  });

  afterEach(async () => {
    httpTesting.verify();
    TestBed.resetTestingModule();
    await deleteDB(databaseName);
  });

  /** Subscribes now and settles without ever leaving a rejection unhandled. */
  function settle(request: Observable<unknown>): Promise<Outcome> {
    return firstValueFrom(request).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  }

  /**
   * The proof is built asynchronously (IndexedDB, WebCrypto), so the request reaches the backend
   * a few tasks later: poll between macrotasks until exactly one request to `url` is open.
   */
  async function nextRequest(url: string): Promise<TestRequest> {
    const deadline = Date.now() + 3000; // below Jasmine's 5 s, so this message wins
    for (;;) {
      const open = httpTesting.match((req) => req.url === url);
      if (open.length > 1) throw new Error(`expected one request to ${url}, got ${open.length}`);
      if (open.length === 1) return open[0];
      if (Date.now() > deadline) throw new Error(`no request to ${url} within 3 s`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  async function proofClaims(req: TestRequest): Promise<JWTPayload> {
    const proof = req.request.headers.get('DPoP');
    if (!proof) throw new Error('request has no DPoP header');
    const { payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256'],
    });
    return payload;
  }

  const nonceChallenge = (nonce?: string) => ({
    status: 401,
    statusText: 'Unauthorized',
    headers: {
      'WWW-Authenticate':
        'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
      ...(nonce ? { 'DPoP-Nonce': nonce } : {}),
    },
  });

  it('sends Authorization: DPoP <token> and a proof whose ath matches it to an allow-listed resource', async () => {
    const result = settle(http.get(`${USERS}?page=2`));
    const req = await nextRequest(`${USERS}?page=2`);

    expect(req.request.headers.get('Authorization')).toBe('DPoP t');
    const claims = await proofClaims(req);
    expect(claims['ath']).toBe(await accessTokenHash('t'));
    expect(claims['htm']).toBe('GET');
    expect(claims['htu']).toBe(USERS);
    expect(tokens.asked).toEqual([API_RESOURCE]);

    req.flush([{ id: 1 }]);
    expect(await result).toEqual({ value: [{ id: 1 }] });
  });

  it('never sends the token as Bearer, even replacing a Bearer header the caller set', async () => {
    const result = settle(http.get(USERS, { headers: { Authorization: 'Bearer t' } }));
    const req = await nextRequest(USERS);
    expect(req.request.headers.getAll('Authorization')).toEqual(['DPoP t']);
    req.flush({});
    await result;
  });

  const foreign = [
    'http://localhost:3001.evil.com/api/',
    'http://localhost:3001/apix',
    'http://evil.com/?u=http://localhost:3001/api/',
    'http://localhost:3000/api/users',
    'https://localhost:3001/api/users',
  ];
  for (const url of foreign) {
    it(`attaches neither Authorization nor DPoP to the non-allow-listed ${url}`, async () => {
      const result = settle(http.get(url));
      const req = await nextRequest(url);
      expect(req.request.headers.has('Authorization')).toBeFalse();
      expect(req.request.headers.has('DPoP')).toBeFalse();
      expect(tokens.asked).toEqual([]);
      req.flush({});
      await result;
    });
  }

  it('passes an allow-listed request through untouched when the token source has no token', async () => {
    tokens.token = null;
    const result = settle(http.get(USERS));
    const req = await nextRequest(USERS);
    expect(req.request.headers.has('Authorization')).toBeFalse();
    expect(req.request.headers.has('DPoP')).toBeFalse();
    req.flush({});
    await result;
    expect(exchanges).toEqual([]);
  });

  it('builds the proof when the request is sent, so each subscription gets a fresh one', async () => {
    const create = spyOn(TestBed.inject(DpopProofs), 'create').and.callThrough();
    const request = http.get(USERS);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(create).not.toHaveBeenCalled();

    const first = settle(request);
    const firstReq = await nextRequest(USERS);
    const second = settle(request);
    const secondReq = await nextRequest(USERS);
    expect((await proofClaims(firstReq)).jti).not.toBe((await proofClaims(secondReq)).jti);
    firstReq.flush({});
    secondReq.flush({});
    await Promise.all([first, second]);
  });

  it('on 401 use_dpop_nonce retries once with the nonce in a new proof (new jti)', async () => {
    const result = settle(http.get(USERS));
    const first = await nextRequest(USERS);
    const firstClaims = await proofClaims(first);
    expect(firstClaims['nonce']).toBeUndefined();
    first.flush(null, nonceChallenge('n1'));

    const retry = await nextRequest(USERS);
    const retryClaims = await proofClaims(retry);
    expect(retryClaims['nonce']).toBe('n1');
    expect(retryClaims.jti).not.toBe(firstClaims.jti);
    expect(retryClaims['ath']).toBe(await accessTokenHash('t'));
    expect(retry.request.headers.get('Authorization')).toBe('DPoP t');
    retry.flush({ ok: true });

    expect(await result).toEqual({ value: { ok: true } });
    expect(exchanges.map(({ status, retried }) => ({ status, retried }))).toEqual([
      { status: 401, retried: false },
      { status: 200, retried: true },
    ]);
    expect(exchanges[1].proof).toBe(retry.request.headers.get('DPoP') as string);
  });

  it('returns a second use_dpop_nonce to the caller as an error, without a third request', async () => {
    const result = settle(http.get(USERS));
    (await nextRequest(USERS)).flush(null, nonceChallenge('n1'));
    (await nextRequest(USERS)).flush(null, nonceChallenge('n2'));

    const outcome = await result;
    expect('error' in outcome).toBeTrue();
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect((error as HttpErrorResponse).status).toBe(401);
    httpTesting.verify(); // no third request is open
    expect(TestBed.inject(DpopNonces).get(USERS)).toBe('n2');
  });

  it('retries a DPOP_PROOF_ONLY token request after the 400 JSON use_dpop_nonce, with a proof and no Authorization', async () => {
    const body = 'grant_type=authorization_code&code=c';
    const result = settle(http.post(TOKEN_ENDPOINT, body, { context: withDpopProof() }));

    const first = await nextRequest(TOKEN_ENDPOINT);
    expect(first.request.headers.has('Authorization')).toBeFalse();
    const firstClaims = await proofClaims(first);
    expect(firstClaims['htm']).toBe('POST');
    expect(firstClaims['htu']).toBe(TOKEN_ENDPOINT);
    expect(firstClaims['ath']).toBeUndefined();
    first.flush(
      {
        error: 'use_dpop_nonce',
        error_description: 'Authorization server requires nonce in DPoP proof',
      },
      { status: 400, statusText: 'Bad Request', headers: { 'DPoP-Nonce': 'as-n1' } },
    );

    const retry = await nextRequest(TOKEN_ENDPOINT);
    expect(retry.request.headers.has('Authorization')).toBeFalse();
    const retryClaims = await proofClaims(retry);
    expect(retryClaims['nonce']).toBe('as-n1');
    expect(retryClaims.jti).not.toBe(firstClaims.jti);
    expect(retry.request.body).toBe(body);
    retry.flush({ access_token: 'at', token_type: 'DPoP' });

    expect(await result).toEqual({ value: { access_token: 'at', token_type: 'DPoP' } });
    expect(tokens.asked).toEqual([]); // the token endpoint never gets an access token
  });

  it('adds a proof to a DPOP_PROOF_ONLY request on an existing HttpContext', async () => {
    const result = settle(
      http.post(TOKEN_ENDPOINT, '', { context: withDpopProof(new HttpContext()) }),
    );
    const req = await nextRequest(TOKEN_ENDPOINT);
    expect(req.request.headers.has('DPoP')).toBeTrue();
    req.flush({});
    await result;
  });

  it('remembers the DPoP-Nonce of a 200 and puts it in the next proof to that origin', async () => {
    const first = settle(http.get(USERS));
    (await nextRequest(USERS)).flush({}, { headers: { 'DPoP-Nonce': 'from-200' } });
    await first;
    expect(TestBed.inject(DpopNonces).get(API)).toBe('from-200');

    const second = settle(http.get(`${API}apps`));
    const req = await nextRequest(`${API}apps`);
    expect((await proofClaims(req))['nonce']).toBe('from-200');
    req.flush({});
    await second;
  });

  it('remembers the DPoP-Nonce of an error response that is not a nonce challenge', async () => {
    const result = settle(http.get(USERS));
    (await nextRequest(USERS)).flush(null, {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'WWW-Authenticate': 'DPoP error="insufficient_scope"', 'DPoP-Nonce': 'from-403' },
    });
    const outcome = await result;
    expect((outcome as { error: HttpErrorResponse }).error.status).toBe(403);
    expect(TestBed.inject(DpopNonces).get(USERS)).toBe('from-403');
  });

  it('fails with a DpopError naming Access-Control-Expose-Headers when use_dpop_nonce comes without a readable DPoP-Nonce', async () => {
    const result = settle(http.get(USERS));
    (await nextRequest(USERS)).flush(null, nonceChallenge());

    const outcome = await result;
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).code).toBe('nonce_header_not_exposed');
    expect((error as DpopError).message).toContain('Access-Control-Expose-Headers: DPoP-Nonce');
    expect((error as DpopError).cause).toBeInstanceOf(HttpErrorResponse);
    httpTesting.verify(); // no retry without a nonce
  });

  it('does not retry other DPoP errors (invalid_token) and lets readDpopError-able responses through', async () => {
    const result = settle(http.get(USERS));
    (await nextRequest(USERS)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: new HttpHeaders({
        'WWW-Authenticate': 'DPoP error="invalid_token"',
        'DPoP-Nonce': 'n',
      }),
    });
    const error = (await result) as { error: HttpErrorResponse };
    expect(error.error.status).toBe(401);
    httpTesting.verify();
  });
});

describe('dpopInterceptor without a token source', () => {
  it('fails an allow-listed request with a DpopError that says to add withTokenSource', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([dpopInterceptor])),
        provideHttpClientTesting(),
        provideDpop(withAllowList([API_RESOURCE])),
      ],
    });
    const error = await firstValueFrom(TestBed.inject(HttpClient).get(USERS)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).code).toBe('missing_token_source');
    expect((error as DpopError).message).toContain('withTokenSource');
    TestBed.inject(HttpTestingController).verify();
  });
});
