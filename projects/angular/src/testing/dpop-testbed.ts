/**
 * The DPoP core's test fixture: `const t = dpopTestbed()` in a `describe` wires the interceptor,
 * `provideDpop` with an allow-listed API, a registered authorization server, a token source and a
 * database of its own per test, with `HttpTestingController` as the servers. WebCrypto and
 * IndexedDB stay real.
 */
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { deleteDB } from 'idb';
import { firstValueFrom, Observable } from 'rxjs';

import { Dpop } from '../lib/dpop';
import { DpopResource } from '../lib/dpop-allow-list';
import { DpopKeyStorageOptions } from '../lib/dpop-config';
import { dpopInterceptor } from '../lib/dpop-interceptor';
import { DpopInternals } from '../lib/dpop-internals';
import { DpopTokenSource } from '../lib/dpop-token-source';
import { DpopExchange } from '../lib/exchange-tap';
import {
  DpopFeature,
  provideDpop,
  withAllowList,
  withKeyStorage,
  withTokenSource,
} from '../lib/provide-dpop';
import { DpopServerMetadata } from '../lib/token-endpoints';

// The package's own specs use what it ships for apps' specs.
export {
  dpopNonceChallenge as nonceChallenge,
  dpopProofOf as proofOf,
  nextDpopRequest as nextRequest,
} from '../../testing/src/dpop-requests';

export const API = 'http://localhost:3001/api/';
export const USERS = `${API}users`;
export const TOKEN_ENDPOINT = 'http://localhost:3000/token';
export const REVOCATION_ENDPOINT = 'http://localhost:3000/token/revocation';
export const AUTHORIZATION_SERVER: DpopServerMetadata = {
  token_endpoint: TOKEN_ENDPOINT,
  revocation_endpoint: REVOCATION_ENDPOINT,
};
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
  /** The key, the allow list and the exchanges, as devtools reads them. */
  internals: DpopInternals;
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
    t.dpop.useAuthorizationServer(AUTHORIZATION_SERVER);
    t.exchanges = [];
    t.internals = TestBed.inject(DpopInternals);
    t.internals.tap.open().subscribe((exchange) => t.exchanges.push(exchange));
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

/** Lets pending promises and timers run (e.g. to prove that nothing was sent). */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
