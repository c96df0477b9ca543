import {
  HttpClient,
  HttpErrorResponse,
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
import { decodeProtectedHeader, EmbeddedJWK, JWTPayload, jwtVerify } from 'jose';
import { firstValueFrom, Observable } from 'rxjs';

import { DpopAlgorithms } from './dpop-algorithms';
import { withDpopProof } from './dpop-context';
import { DpopError } from './dpop-error';
import { DpopEvents, DpopExchange } from './dpop-events';
import { dpopInterceptor } from './dpop-interceptor';
import { DpopKeyStore } from './dpop-key-store';
import { DpopResource } from './dpop-resource';
import { DpopTokenSource } from './dpop-token-source';
import {
  DpopFeature,
  provideDpop,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withTokenSource,
} from './provide-dpop';

const API = 'http://localhost:3001/api/';
const USERS = `${API}users`;
const TOKEN_ENDPOINT = 'http://localhost:3000/token';
const TEN_MINUTES = 600_000;

@Injectable()
class StaticTokenSource extends DpopTokenSource {
  async getAccessToken(_resource: DpopResource): Promise<string | null> {
    return 't';
  }
}

type Outcome = { value: unknown } | { error: unknown };

/**
 * Clock skew, algorithm negotiation and what CORS hides, through the real interceptor with real
 * WebCrypto and IndexedDB; the servers are HttpTestingController answers shaped like the embedded
 * API's (and oidc-provider's) refusals.
 */
describe('dpopInterceptor: clocks, algorithms and hidden headers', () => {
  let databaseName: string;
  let http: HttpClient;
  let httpTesting: HttpTestingController;
  let exchanges: DpopExchange[];

  function configure(...features: DpopFeature[]): void {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([dpopInterceptor])),
        provideHttpClientTesting(),
        provideDpop(
          withAllowList([{ url: API, resource: 'http://localhost:3001' }]),
          withTokenSource(StaticTokenSource),
          withKeyStorage({ databaseName }),
          ...features,
        ),
      ],
    });
    http = TestBed.inject(HttpClient);
    httpTesting = TestBed.inject(HttpTestingController);
    exchanges = [];
    TestBed.inject(DpopEvents).exchanges.subscribe((exchange) => exchanges.push(exchange));
  }

  beforeEach(() => {
    databaseName = `dpop-hardening-${crypto.randomUUID()}`;
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
      if (open.length > 1) throw new Error(`expected one request to ${url}, got ${open.length}`);
      if (open.length === 1) return open[0];
      if (Date.now() > deadline) throw new Error(`no request to ${url} within 3 s`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  async function proofOf(req: TestRequest): Promise<JWTPayload> {
    const proof = req.request.headers.get('DPoP');
    if (!proof) throw new Error('request has no DPoP header');
    return (await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })).payload;
  }

  /** The server's clock: `skewMs` away from this device's, as its `Date` header shows it. */
  const serverDate = (skewMs: number) => new Date(Date.now() + skewMs).toUTCString();
  const nowSeconds = () => Date.now() / 1000;

  /** The embedded API's refusal of a proof whose iat is outside its window. */
  function iatRefusal(skewMs: number, withDate = true) {
    return {
      status: 401,
      statusText: 'Unauthorized',
      headers: {
        'WWW-Authenticate':
          'DPoP error="invalid_dpop_proof", error_description="The DPoP proof iat is 600 s in the future of the server clock (allowed +/-300 s)", algs="ES256 PS256"',
        ...(withDate ? { Date: serverDate(skewMs) } : {}),
      },
    };
  }

  describe('clock skew (withClockSkewCorrection)', () => {
    it('retries a proof refused for its iat once, with iat corrected by the Date header (device 10 min ahead)', async () => {
      configure(withClockSkewCorrection());
      const result = settle(http.get(USERS));
      const first = await nextRequest(USERS);
      const firstClaims = await proofOf(first);
      expect(Math.abs(firstClaims.iat! - nowSeconds())).toBeLessThan(2);
      first.flush(null, iatRefusal(-TEN_MINUTES));

      const retry = await nextRequest(USERS);
      const retryClaims = await proofOf(retry);
      expect(Math.abs(retryClaims.iat! - (nowSeconds() - 600))).toBeLessThan(2);
      expect(retryClaims.jti).not.toBe(firstClaims.jti);
      expect(retry.request.headers.get('Authorization')).toBe('DPoP t');
      retry.flush({ ok: true });

      expect(await result).toEqual({ value: { ok: true } });
      expect(exchanges.map((e) => [e.status, e.retried, e.retryReason])).toEqual([
        [401, false, undefined],
        [200, true, 'clock_skew'],
      ]);
    });

    it('corrects iat from the Date of a use_dpop_nonce answer, so the nonce retry is right the first time', async () => {
      configure(withClockSkewCorrection());
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, {
        status: 401,
        statusText: 'Unauthorized',
        headers: {
          'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
          'DPoP-Nonce': 'n1',
          Date: serverDate(TEN_MINUTES),
        },
      });
      const retry = await nextRequest(USERS);
      const claims = await proofOf(retry);
      expect(claims['nonce']).toBe('n1');
      expect(Math.abs(claims.iat! - (nowSeconds() + 600))).toBeLessThan(2);
      retry.flush([]);
      await result;
    });

    it('keeps the correction: the next proof to that server is right from the start', async () => {
      configure(withClockSkewCorrection());
      const first = settle(http.get(USERS));
      (await nextRequest(USERS)).flush([], { headers: { Date: serverDate(-TEN_MINUTES) } });
      await first;

      const second = settle(http.get(USERS));
      const req = await nextRequest(USERS);
      expect(Math.abs((await proofOf(req)).iat! - (nowSeconds() - 600))).toBeLessThan(2);
      req.flush([]);
      await second;
    });

    it('corrects proofs to the token endpoint too (proof only, 400 JSON refusal)', async () => {
      configure(withClockSkewCorrection());
      const result = settle(http.post(TOKEN_ENDPOINT, '', { context: withDpopProof() }));
      (await nextRequest(TOKEN_ENDPOINT)).flush(
        { error: 'invalid_dpop_proof', error_description: 'DPoP proof iat is not recent enough' },
        { status: 400, statusText: 'Bad Request', headers: { Date: serverDate(-TEN_MINUTES) } },
      );
      const retry = await nextRequest(TOKEN_ENDPOINT);
      expect(Math.abs((await proofOf(retry)).iat! - (nowSeconds() - 600))).toBeLessThan(2);
      retry.flush({ access_token: 'a', token_type: 'DPoP' });
      expect(await result).toEqual({ value: { access_token: 'a', token_type: 'DPoP' } });
    });

    it('retries for the clock only once: a second refusal goes to the caller', async () => {
      configure(withClockSkewCorrection());
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, iatRefusal(-TEN_MINUTES));
      // The server's clock jumped again: no endless chase.
      (await nextRequest(USERS)).flush(null, iatRefusal(TEN_MINUTES));
      const outcome = (await result) as { error: HttpErrorResponse };
      expect(outcome.error.status).toBe(401);
      httpTesting.verify();
    });

    it('does not retry an invalid_dpop_proof when the clock is right (another cause)', async () => {
      configure(withClockSkewCorrection());
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, iatRefusal(0));
      expect(((await result) as { error: HttpErrorResponse }).error.status).toBe(401);
      httpTesting.verify();
    });

    it('says to expose Date when a proof is refused for its iat and the Date header is hidden (CORS)', async () => {
      configure(withClockSkewCorrection());
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, iatRefusal(-TEN_MINUTES, false));
      const error = ((await result) as { error: unknown }).error;
      expect(error).toBeInstanceOf(DpopError);
      expect((error as DpopError).code).toBe('date_header_not_exposed');
      expect((error as DpopError).message).toContain('Access-Control-Expose-Headers: Date');
    });

    it('without withClockSkewCorrection() a refusal for iat goes to the caller, unretried', async () => {
      configure();
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, iatRefusal(-TEN_MINUTES));
      expect(((await result) as { error: HttpErrorResponse }).error.status).toBe(401);
      httpTesting.verify();
    });
  });

  describe('algorithm negotiation from WWW-Authenticate: DPoP algs (RFC 9449 §7.1)', () => {
    it('learns the algs of every DPoP challenge', async () => {
      configure();
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, {
        status: 401,
        statusText: 'Unauthorized',
        headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256 RS256"' },
      });
      await result; // no readable nonce here: that is another test's business
      expect(TestBed.inject(DpopAlgorithms).serverAlgorithms(USERS)?.algorithms).toEqual([
        'ES256',
        'RS256',
      ]);
    });

    it("fails at once, naming what the API accepts, when its algs exclude the key's; the next key suits it", async () => {
      configure();
      const result = settle(http.get(USERS));
      const first = await nextRequest(USERS);
      expect(decodeProtectedHeader(first.request.headers.get('DPoP')!).alg).toBe('ES256');
      first.flush(null, {
        status: 401,
        statusText: 'Unauthorized',
        headers: {
          'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="PS256 RS256"',
          'DPoP-Nonce': 'n1',
        },
      });
      const error = ((await result) as { error: unknown }).error;
      expect(error).toBeInstanceOf(DpopError);
      expect((error as DpopError).code).toBe('unsupported_algorithm');
      expect((error as DpopError).message).toContain(
        'accepts DPoP proofs signed with PS256, RS256',
      );
      expect((error as DpopError).message).toContain('Sign in again: the new key will use PS256');
      httpTesting.verify(); // no retry with a proof it would refuse again

      // A sign-in rotates the key: it is now one the API accepts.
      const keys = TestBed.inject(DpopKeyStore);
      await keys.rotate();
      expect(await keys.algorithm()).toBe('PS256');
    });
  });

  describe('headers the browser cannot read (CORS)', () => {
    it('names WWW-Authenticate in Access-Control-Expose-Headers when a 401 has no readable challenge', async () => {
      configure();
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, { status: 401, statusText: 'Unauthorized' });
      const error = ((await result) as { error: unknown }).error;
      expect(error).toBeInstanceOf(DpopError);
      expect((error as DpopError).code).toBe('challenge_header_not_exposed');
      expect((error as DpopError).message).toContain(
        'Access-Control-Expose-Headers: WWW-Authenticate, DPoP-Nonce',
      );
    });

    it('lets a 401 with a readable error through unchanged (e.g. invalid_token)', async () => {
      configure();
      const result = settle(http.get(USERS));
      (await nextRequest(USERS)).flush(null, {
        status: 401,
        statusText: 'Unauthorized',
        headers: { 'WWW-Authenticate': 'DPoP error="invalid_token", algs="ES256"' },
      });
      expect(((await result) as { error: unknown }).error).toBeInstanceOf(HttpErrorResponse);
    });
  });
});
