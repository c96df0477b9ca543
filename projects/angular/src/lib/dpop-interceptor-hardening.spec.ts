import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { decodeProtectedHeader } from 'jose';

import {
  dpopTestbed,
  errorOf,
  nextRequest,
  outcomeOf,
  proofOf,
  TOKEN_ENDPOINT,
  USERS,
} from '../testing/dpop-testbed';
import { DpopError } from './dpop-error';
import { withClockSkewCorrection } from './provide-dpop';
import { DpopAlgorithms } from './runtime/dpop-algorithms';

const TEN_MINUTES = 600_000;

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

/**
 * Clock skew, algorithm negotiation and what CORS hides, through the real interceptor with real
 * WebCrypto and IndexedDB; the servers are HttpTestingController answers shaped like the embedded
 * API's (and oidc-provider's) refusals.
 */
describe('dpopInterceptor with withClockSkewCorrection()', () => {
  const t = dpopTestbed({ features: [withClockSkewCorrection()] });

  it('retries a proof refused for its iat once, with iat corrected by the Date header (device 10 min ahead)', async () => {
    const result = outcomeOf(t.http.get(USERS));
    const first = await nextRequest(t.backend, USERS);
    const firstClaims = await proofOf(first);
    expect(Math.abs(firstClaims.iat! - nowSeconds())).toBeLessThan(2);
    first.flush(null, iatRefusal(-TEN_MINUTES));

    const retry = await nextRequest(t.backend, USERS);
    const retryClaims = await proofOf(retry);
    expect(Math.abs(retryClaims.iat! - (nowSeconds() - 600))).toBeLessThan(2);
    expect(retryClaims.jti).not.toBe(firstClaims.jti);
    expect(retry.request.headers.get('Authorization')).toBe('DPoP t');
    retry.flush({ ok: true });

    expect(await result).toEqual({ value: { ok: true } });
    expect(t.exchanges.map((e) => [e.status, e.retryReason])).toEqual([
      [401, undefined],
      [200, 'clock_skew'],
    ]);
  });

  it('corrects iat from the Date of a use_dpop_nonce answer, so the nonce retry is right the first time', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: {
        'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
        'DPoP-Nonce': 'n1',
        Date: serverDate(TEN_MINUTES),
      },
    });
    const retry = await nextRequest(t.backend, USERS);
    const claims = await proofOf(retry);
    expect(claims['nonce']).toBe('n1');
    expect(Math.abs(claims.iat! - (nowSeconds() + 600))).toBeLessThan(2);
    retry.flush([]);
    await result;
  });

  it('keeps the correction: the next proof to that server is right from the start', async () => {
    const first = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush([], {
      headers: { Date: serverDate(-TEN_MINUTES) },
    });
    await first;

    const second = outcomeOf(t.http.get(USERS));
    const req = await nextRequest(t.backend, USERS);
    expect(Math.abs((await proofOf(req)).iat! - (nowSeconds() - 600))).toBeLessThan(2);
    req.flush([]);
    await second;
  });

  it('corrects proofs to the token endpoint too (proof only, 400 JSON refusal)', async () => {
    const result = outcomeOf(t.http.post(TOKEN_ENDPOINT, ''));
    (await nextRequest(t.backend, TOKEN_ENDPOINT)).flush(
      { error: 'invalid_dpop_proof', error_description: 'DPoP proof iat is not recent enough' },
      { status: 400, statusText: 'Bad Request', headers: { Date: serverDate(-TEN_MINUTES) } },
    );
    const retry = await nextRequest(t.backend, TOKEN_ENDPOINT);
    expect(Math.abs((await proofOf(retry)).iat! - (nowSeconds() - 600))).toBeLessThan(2);
    retry.flush({ access_token: 'a', token_type: 'DPoP' });
    expect(await result).toEqual({ value: { access_token: 'a', token_type: 'DPoP' } });
  });

  it('retries for the clock only once: a second refusal goes to the caller', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, iatRefusal(-TEN_MINUTES));
    // The server's clock jumped again: no endless chase.
    (await nextRequest(t.backend, USERS)).flush(null, iatRefusal(TEN_MINUTES));
    expect((errorOf(await result) as HttpErrorResponse).status).toBe(401);
    t.backend.verify();
  });

  it('does not retry an invalid_dpop_proof when the clock is right (another cause)', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, iatRefusal(0));
    expect((errorOf(await result) as HttpErrorResponse).status).toBe(401);
    t.backend.verify();
  });

  it('says to expose Date when a proof is refused for its iat and the Date header is hidden (CORS)', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, iatRefusal(-TEN_MINUTES, false));
    const error = errorOf(await result) as DpopError;
    expect(error).toBeInstanceOf(DpopError);
    expect(error.code).toBe('date_header_not_exposed');
    expect(error.message).toContain('Access-Control-Expose-Headers: Date');
  });
});

describe('dpopInterceptor: algorithms and hidden headers', () => {
  const t = dpopTestbed();

  it('without withClockSkewCorrection() a refusal for iat goes to the caller, unretried', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, iatRefusal(-TEN_MINUTES));
    expect((errorOf(await result) as HttpErrorResponse).status).toBe(401);
    t.backend.verify();
  });

  it('learns the algs of a DPoP challenge (RFC 9449 §7.1): the next key uses one of them', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'WWW-Authenticate': 'DPoP error="invalid_token", algs="ES256 RS256"' },
    });
    await result;
    expect(TestBed.inject(DpopAlgorithms).candidates()).toEqual(['ES256', 'RS256']);
  });

  it("fails at once, naming what the API accepts, when its algs exclude the key's; the next key suits it", async () => {
    const result = outcomeOf(t.http.get(USERS));
    const first = await nextRequest(t.backend, USERS);
    expect(decodeProtectedHeader(first.request.headers.get('DPoP')!).alg).toBe('ES256');
    first.flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: {
        'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="PS256 RS256"',
        'DPoP-Nonce': 'n1',
      },
    });
    const error = errorOf(await result) as DpopError;
    expect(error).toBeInstanceOf(DpopError);
    expect(error.code).toBe('unsupported_algorithm');
    expect(error.message).toContain('accepts DPoP proofs signed with PS256, RS256');
    expect(error.message).toContain('Sign in again: the new key will use PS256');
    t.backend.verify(); // no retry with a proof it would refuse again

    // A sign-in makes a new key: it is one the API accepts.
    const dpopJkt = await t.dpop.prepare({ token_endpoint: TOKEN_ENDPOINT });
    expect(dpopJkt).toBeDefined();
    expect((await t.internals.key()).algorithm).toBe('PS256');
  });

  it('names WWW-Authenticate in Access-Control-Expose-Headers when a 401 has no readable challenge', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, { status: 401, statusText: 'Unauthorized' });
    const error = errorOf(await result) as DpopError;
    expect(error).toBeInstanceOf(DpopError);
    expect(error.code).toBe('challenge_header_not_exposed');
    expect(error.message).toContain('Access-Control-Expose-Headers: WWW-Authenticate, DPoP-Nonce');
  });

  it('lets a 401 with a readable error through unchanged (e.g. invalid_token)', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'WWW-Authenticate': 'DPoP error="invalid_token", algs="ES256"' },
    });
    expect(errorOf(await result)).toBeInstanceOf(HttpErrorResponse);
  });

  it('lets a 401 with a readable Bearer-only challenge through: the header is exposed', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
    expect(errorOf(await result)).toBeInstanceOf(HttpErrorResponse);
  });
});
