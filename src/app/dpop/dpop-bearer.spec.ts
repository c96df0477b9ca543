import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { deleteDB } from 'idb';
import { base64url } from 'jose';
import { firstValueFrom, Observable } from 'rxjs';

import { DpopError } from './dpop-error';
import { DpopEvents, DpopExchange } from './dpop-events';
import { dpopInterceptor } from './dpop-interceptor';
import { DpopResource } from './dpop-resource';
import { DpopAccessToken, DpopTokenSource } from './dpop-token-source';
import { provideDpop, withAllowList, withKeyStorage, withTokenSource } from './provide-dpop';

const API = 'http://localhost:3001/api/';
const USERS = `${API}users`;
const API_RESOURCE: DpopResource = { url: API, resource: 'http://localhost:3001/api' };

/** An unsigned JWT with these claims: enough for the interceptor, which only decodes. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: 'ES256', typ: 'at+jwt' })}.${part(claims)}.c2ln`;
}

@Injectable()
class TypedTokenSource extends DpopTokenSource {
  token: string | DpopAccessToken | null = null;

  async getAccessToken(): Promise<string | DpopAccessToken | null> {
    return this.token;
  }
}

type Outcome = { value: unknown } | { error: unknown };

describe('dpopInterceptor with an explicit token type, and its events', () => {
  let databaseName: string;
  let http: HttpClient;
  let httpTesting: HttpTestingController;
  let tokens: TypedTokenSource;
  let exchanges: DpopExchange[];

  beforeEach(() => {
    databaseName = `dpop-bearer-test-${crypto.randomUUID()}`;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([dpopInterceptor])),
        provideHttpClientTesting(),
        provideDpop(
          withAllowList([API_RESOURCE]),
          withTokenSource(TypedTokenSource),
          withKeyStorage({ databaseName }),
        ),
      ],
    });
    http = TestBed.inject(HttpClient);
    httpTesting = TestBed.inject(HttpTestingController);
    tokens = TestBed.inject(DpopTokenSource) as TypedTokenSource;
    exchanges = [];
    TestBed.inject(DpopEvents).exchanges.subscribe((exchange) => exchanges.push(exchange));
  });

  afterEach(async () => {
    httpTesting.verify();
    TestBed.resetTestingModule();
    await deleteDB(databaseName);
  });

  function settle(request: Observable<unknown>): Promise<Outcome> {
    return firstValueFrom(request).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  }

  async function nextRequest(url: string): Promise<TestRequest> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const open = httpTesting.match((req) => req.url === url);
      if (open.length === 1) return open[0];
      if (open.length > 1) throw new Error(`expected one request to ${url}, got ${open.length}`);
      if (Date.now() > deadline) throw new Error(`no request to ${url} within 3 s`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  it('sends a token declared Bearer as Authorization: Bearer, with no proof, and records it', async () => {
    const token = jwt({ client_id: 'dpop-lab-bearer', scope: 'users:read' });
    tokens.token = { token, type: 'Bearer' };
    const done = settle(http.get(USERS));
    const req = await nextRequest(USERS);
    expect(req.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    expect(req.request.headers.has('DPoP')).toBeFalse();
    req.flush([], { headers: { 'DPoP-Nonce': 'n-1' } });
    expect(await done).toEqual({ value: [] });
    expect(exchanges.length).toBe(1);
    expect(exchanges[0]).toEqual(
      jasmine.objectContaining({
        method: 'GET',
        url: USERS,
        status: 200,
        proof: null,
        scheme: 'Bearer',
        retried: false,
        nonce: 'n-1',
      }),
    );
  });

  it('never sends a DPoP-bound token (one with cnf) as Bearer: bearer_downgrade, nothing sent', async () => {
    tokens.token = { token: jwt({ cnf: { jkt: 'abc' } }), type: 'Bearer' };
    const outcome = await settle(http.get(USERS));
    httpTesting.expectNone(USERS);
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).code).toBe('bearer_downgrade');
    expect(exchanges).toEqual([]);
  });

  it('sends a token declared DPoP, or a plain string, with the DPoP scheme and a proof', async () => {
    for (const value of ['plain-string', { token: 'typed', type: 'DPoP' as const }]) {
      tokens.token = value;
      const done = settle(http.get(USERS));
      const req = await nextRequest(USERS);
      const token = typeof value === 'string' ? value : value.token;
      expect(req.request.headers.get('Authorization')).toBe(`DPoP ${token}`);
      expect(req.request.headers.get('DPoP')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      req.flush([]);
      await done;
    }
    expect(exchanges.map((e) => e.scheme)).toEqual(['DPoP', 'DPoP']);
  });

  it('gives a request and its nonce retry one requestId, with the error and the nonce of each answer', async () => {
    tokens.token = 'bound';
    const done = settle(http.get(USERS));
    (await nextRequest(USERS)).flush(
      { error: 'use_dpop_nonce' },
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: {
          'WWW-Authenticate': 'DPoP error="use_dpop_nonce"',
          'DPoP-Nonce': 'server-nonce',
        },
      },
    );
    (await nextRequest(USERS)).flush([]);
    await done;
    const first = settle(http.get(USERS));
    (await nextRequest(USERS)).flush([]);
    await first;

    expect(exchanges.length).toBe(3);
    const [challenge, retry, next] = exchanges;
    expect(challenge.error).toBe('use_dpop_nonce');
    expect(challenge.nonce).toBe('server-nonce');
    expect(retry.retried).toBeTrue();
    expect(retry.error).toBeUndefined();
    expect(retry.requestId).toBe(challenge.requestId);
    expect(next.requestId).not.toBe(challenge.requestId);
  });
});
