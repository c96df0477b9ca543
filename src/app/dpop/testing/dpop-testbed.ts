/**
 * The DPoP core's test fixture: `const t = dpopTestbed()` in a `describe` wires the interceptor,
 * `provideDpop` with an allow-listed API, a token source and a database of its own per test, with
 * `HttpTestingController` as the servers. WebCrypto and IndexedDB stay real.
 */
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
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

import { Dpop } from '../dpop';
import { DpopResource } from '../dpop-allow-list';
import { DpopKeyStorageOptions } from '../dpop-config';
import { DpopExchange } from '../dpop-events';
import { dpopInterceptor } from '../dpop-interceptor';
import { DpopTokenSource } from '../dpop-token-source';
import {
  DpopFeature,
  provideDpop,
  withAllowList,
  withKeyStorage,
  withTokenSource,
} from '../provide-dpop';

export const API = 'http://localhost:3001/api/';
export const USERS = `${API}users`;
export const TOKEN_ENDPOINT = 'http://localhost:3000/token';
export const API_RESOURCE: DpopResource = { url: API, resource: 'http://localhost:3001' };

/** Faking the token source is fine: it is the app's seam. The crypto and storage stay real. */
@Injectable()
export class FakeTokenSource extends DpopTokenSource {
  token: string | null = 't';
  readonly asked: DpopResource[] = [];

  async getAccessToken(resource: DpopResource): Promise<string | null> {
    this.asked.push(resource);
    return this.token;
  }
}

export type Outcome = { value: unknown } | { error: unknown };

export interface DpopTestbedOptions {
  /** More features (algorithms, clock skew…). */
  features?: DpopFeature[];
  keyStorage?: Omit<DpopKeyStorageOptions, 'databaseName'>;
  /** false: no `withTokenSource()`. */
  tokenSource?: boolean;
}

export interface DpopTestbed {
  http: HttpClient;
  backend: HttpTestingController;
  tokens: FakeTokenSource;
  dpop: Dpop;
  /** Every exchange the interceptor reported, oldest first. */
  exchanges: DpopExchange[];
  databaseName: string;
}

/** Registers the set-up and clean-up of each test of the enclosing `describe`. */
export function dpopTestbed(options: DpopTestbedOptions = {}): DpopTestbed {
  const t = {} as DpopTestbed;
  beforeEach(() => {
    t.databaseName = `dpop-test-${crypto.randomUUID()}`;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([dpopInterceptor])),
        provideHttpClientTesting(),
        provideDpop(
          withAllowList([API_RESOURCE]),
          withKeyStorage({ ...options.keyStorage, databaseName: t.databaseName }),
          ...(options.tokenSource === false ? [] : [withTokenSource(FakeTokenSource)]),
          ...(options.features ?? []),
        ),
      ],
    });
    t.http = TestBed.inject(HttpClient);
    t.backend = TestBed.inject(HttpTestingController);
    t.tokens = TestBed.inject(DpopTokenSource, null) as FakeTokenSource;
    t.dpop = TestBed.inject(Dpop);
    t.exchanges = [];
    t.dpop.exchanges.subscribe((exchange) => t.exchanges.push(exchange));
  });
  afterEach(async () => {
    t.backend.verify();
    TestBed.resetTestingModule();
    await deleteDB(t.databaseName);
  });
  return t;
}

/** Subscribes now and settles without ever leaving a rejection unhandled. */
export function outcomeOf(request: Observable<unknown>): Promise<Outcome> {
  return firstValueFrom(request).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** The error of a failed outcome; fails the test when it succeeded. */
export function errorOf(outcome: Outcome): unknown {
  if (!('error' in outcome)) throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

/**
 * The proof is built asynchronously (IndexedDB, WebCrypto), so the request reaches the backend a
 * few tasks later: polls between macrotasks until exactly one request matching `match` is open.
 */
export async function nextRequest(
  backend: HttpTestingController,
  match: Parameters<HttpTestingController['match']>[0],
  timeoutMs = 3000, // below Jasmine's 5 s, so this message wins
): Promise<TestRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = backend.match(match);
    if (open.length > 1) throw new Error(`expected one request, got ${open.length}`);
    if (open.length === 1) return open[0];
    if (Date.now() > deadline) {
      throw new Error(`no request matching ${JSON.stringify(match)} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The claims of the request's proof, verified with the key in its header. */
export async function proofOf(req: TestRequest): Promise<JWTPayload> {
  const proof = req.request.headers.get('DPoP');
  if (!proof) throw new Error('request has no DPoP header');
  return (await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })).payload;
}

/** A resource server's nonce challenge (RFC 9449 §9), with or without a readable nonce. */
export function nonceChallenge(nonce?: string) {
  return {
    status: 401,
    statusText: 'Unauthorized',
    headers: {
      'WWW-Authenticate':
        'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
      ...(nonce ? { 'DPoP-Nonce': nonce } : {}),
    },
  };
}

/** Lets pending promises and timers run (e.g. to prove that nothing was sent). */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
