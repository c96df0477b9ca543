import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { athOf } from '@dpop-lab/protocol';
import { calculateJwkThumbprint, decodeProtectedHeader, UnsecuredJWT } from 'jose';

import {
  API,
  API_RESOURCE,
  dpopTestbed,
  errorOf,
  nextRequest,
  nonceChallenge,
  outcomeOf,
  proofOf,
  settle,
  REVOCATION_ENDPOINT,
  TOKEN_ENDPOINT,
  USERS,
} from '../testing/dpop-testbed';
import { DpopError } from './dpop-error';
import { DpopNonces } from './runtime/dpop-nonces';

describe('dpopInterceptor (real WebCrypto and IndexedDB, HttpTestingController)', () => {
  const t = dpopTestbed();

  it('sends Authorization: DPoP <token> and a proof whose ath matches it to an allow-listed resource', async () => {
    const result = outcomeOf(t.http.get(`${USERS}?page=2`));
    const req = await nextRequest(t.backend, `${USERS}?page=2`);

    expect(req.request.headers.get('Authorization')).toBe('DPoP t');
    const claims = await proofOf(req);
    expect(claims['ath']).toBe(await athOf('t'));
    expect(claims['htm']).toBe('GET');
    expect(claims['htu']).toBe(USERS);
    expect(t.tokens.asked).toEqual([API_RESOURCE]);

    req.flush([{ id: 1 }]);
    expect(await result).toEqual({ value: [{ id: 1 }] });
  });

  it('signs with the stored key: the proof jwk has the key thumbprint', async () => {
    const result = outcomeOf(t.http.get(USERS));
    const req = await nextRequest(t.backend, USERS);
    const { jwk } = decodeProtectedHeader(req.request.headers.get('DPoP')!);
    expect(await calculateJwkThumbprint(jwk!)).toBe((await t.internals.key()).thumbprint);
    req.flush({});
    await result;
  });

  it('never sends the token as Bearer, even replacing a Bearer header the caller set', async () => {
    const result = outcomeOf(t.http.get(USERS, { headers: { Authorization: 'Bearer t' } }));
    const req = await nextRequest(t.backend, USERS);
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
      const result = outcomeOf(t.http.get(url));
      const req = await nextRequest(t.backend, url);
      expect(req.request.headers.has('Authorization')).toBeFalse();
      expect(req.request.headers.has('DPoP')).toBeFalse();
      expect(t.tokens.asked).toEqual([]);
      req.flush({});
      await result;
    });
  }

  it('passes an allow-listed request through untouched when the token source has no token', async () => {
    t.tokens.token = null;
    const result = outcomeOf(t.http.get(USERS));
    const req = await nextRequest(t.backend, USERS);
    expect(req.request.headers.has('Authorization')).toBeFalse();
    expect(req.request.headers.has('DPoP')).toBeFalse();
    req.flush({});
    await result;
    expect(t.exchanges).toEqual([]);
  });

  it('sends the request under a resource added at runtime with Dpop.allow() (the userinfo endpoint)', async () => {
    const userinfo = 'http://localhost:3000/me';
    t.dpop.allow({ url: userinfo });
    const result = outcomeOf(t.http.get(userinfo));
    const req = await nextRequest(t.backend, userinfo);
    expect(req.request.headers.get('Authorization')).toBe('DPoP t');
    expect(t.tokens.asked).toEqual([{ url: userinfo }]);
    req.flush({});
    await result;
  });

  it('builds the proof when the request is sent, so each subscription gets a fresh one', async () => {
    const request = t.http.get(USERS);
    await settle(10);
    expect(t.tokens.asked).toEqual([]); // nothing happens before subscribe

    const first = outcomeOf(request);
    const firstReq = await nextRequest(t.backend, USERS);
    const second = outcomeOf(request);
    const secondReq = await nextRequest(t.backend, USERS);
    expect((await proofOf(firstReq)).jti).not.toBe((await proofOf(secondReq)).jti);
    firstReq.flush({});
    secondReq.flush({});
    await Promise.all([first, second]);
  });

  it('on 401 use_dpop_nonce retries once with the nonce in a new proof (new jti)', async () => {
    const result = outcomeOf(t.http.get(USERS));
    const first = await nextRequest(t.backend, USERS);
    const firstClaims = await proofOf(first);
    expect(firstClaims['nonce']).toBeUndefined();
    first.flush(null, nonceChallenge('n1'));

    const retry = await nextRequest(t.backend, USERS);
    const retryClaims = await proofOf(retry);
    expect(retryClaims['nonce']).toBe('n1');
    expect(retryClaims.jti).not.toBe(firstClaims.jti);
    expect(retryClaims['ath']).toBe(await athOf('t'));
    expect(retry.request.headers.get('Authorization')).toBe('DPoP t');
    retry.flush({ ok: true });

    expect(await result).toEqual({ value: { ok: true } });
    expect(
      t.exchanges.map(({ requestId, status, error, nonce, retryReason }) => ({
        requestId,
        status,
        error,
        nonce,
        retryReason,
      })),
    ).toEqual([
      { requestId: 1, status: 401, error: 'use_dpop_nonce', nonce: 'n1', retryReason: undefined },
      {
        requestId: 1,
        status: 200,
        error: undefined,
        nonce: undefined,
        retryReason: 'use_dpop_nonce',
      },
    ]);
    expect(t.exchanges[1].proof).toBe(retry.request.headers.get('DPoP') as string);
    expect(t.exchanges[1].scheme).toBe('DPoP');
  });

  it('returns a second use_dpop_nonce to the caller as an error, without a third request', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, nonceChallenge('n1'));
    (await nextRequest(t.backend, USERS)).flush(null, nonceChallenge('n2'));

    const error = errorOf(await result);
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect((error as HttpErrorResponse).status).toBe(401);
    t.backend.verify(); // no third request is open
    expect(TestBed.inject(DpopNonces).get(USERS)).toBe('n2');
  });

  it('retries a token request (a registered token endpoint) after the 400 JSON use_dpop_nonce, with a proof and no Authorization', async () => {
    const body = 'grant_type=authorization_code&code=c';
    const result = outcomeOf(t.http.post(TOKEN_ENDPOINT, body));

    const first = await nextRequest(t.backend, TOKEN_ENDPOINT);
    expect(first.request.headers.has('Authorization')).toBeFalse();
    const firstClaims = await proofOf(first);
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

    const retry = await nextRequest(t.backend, TOKEN_ENDPOINT);
    expect(retry.request.headers.has('Authorization')).toBeFalse();
    const retryClaims = await proofOf(retry);
    expect(retryClaims['nonce']).toBe('as-n1');
    expect(retryClaims.jti).not.toBe(firstClaims.jti);
    expect(retry.request.body).toBe(body);
    retry.flush({ access_token: 'at', token_type: 'DPoP' });

    expect(await result).toEqual({ value: { access_token: 'at', token_type: 'DPoP' } });
    expect(t.tokens.asked).toEqual([]); // the token endpoint never gets an access token
    expect(t.exchanges.map((e) => e.scheme)).toEqual([null, null]);
  });

  it('refuses a token response with token_type Bearer (a downgrade): the caller gets a DpopError, not the tokens', async () => {
    const result = outcomeOf(t.http.post(TOKEN_ENDPOINT, 'grant_type=refresh_token'));
    (await nextRequest(t.backend, TOKEN_ENDPOINT)).flush({
      access_token: 'at',
      token_type: 'Bearer',
    });
    const error = errorOf(await result) as DpopError;
    expect(error).toBeInstanceOf(DpopError);
    expect(error.code).toBe('bearer_token_issued');
  });

  it("refuses a token response whose JWT access token is bound to another key's thumbprint", async () => {
    const result = outcomeOf(t.http.post(`${TOKEN_ENDPOINT}?x=1`, ''));
    const req = await nextRequest(t.backend, `${TOKEN_ENDPOINT}?x=1`);
    expect(req.request.headers.has('DPoP')).withContext('a query is the same endpoint').toBeTrue();
    const foreign = new UnsecuredJWT({ cnf: { jkt: 'another-key' } }).encode();
    req.flush({ access_token: foreign, token_type: 'DPoP' });
    expect((errorOf(await result) as DpopError).code).toBe('token_not_bound');
  });

  it('accepts a token response bound to this key', async () => {
    const { thumbprint } = await t.internals.key();
    const bound = new UnsecuredJWT({ cnf: { jkt: thumbprint } }).encode();
    const result = outcomeOf(t.http.post(TOKEN_ENDPOINT, ''));
    (await nextRequest(t.backend, TOKEN_ENDPOINT)).flush({
      access_token: bound,
      token_type: 'DPoP',
    });
    expect(await result).toEqual({ value: { access_token: bound, token_type: 'DPoP' } });
  });

  it('sends a proof alone to the revocation endpoint, and nothing to a GET of the token endpoint', async () => {
    const revoke = outcomeOf(
      t.http.post(REVOCATION_ENDPOINT, 'token=rt', { responseType: 'text' }),
    );
    const req = await nextRequest(t.backend, REVOCATION_ENDPOINT);
    expect((await proofOf(req))['htu']).toBe(REVOCATION_ENDPOINT);
    expect(req.request.headers.has('Authorization')).toBeFalse();
    req.flush('');
    expect(await revoke).toEqual({ value: '' });

    const get = outcomeOf(t.http.get(TOKEN_ENDPOINT));
    const plain = await nextRequest(t.backend, TOKEN_ENDPOINT);
    expect(plain.request.headers.has('DPoP')).toBeFalse();
    plain.flush({});
    await get;
  });

  it('remembers the DPoP-Nonce of a 200 and puts it in the next proof to that origin only', async () => {
    const first = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush({}, { headers: { 'DPoP-Nonce': 'from-200' } });
    await first;

    const second = outcomeOf(t.http.get(`${API}apps`));
    const req = await nextRequest(t.backend, `${API}apps`);
    expect((await proofOf(req))['nonce']).toBe('from-200');
    req.flush({});
    const other = outcomeOf(t.http.post(TOKEN_ENDPOINT, ''));
    const tokenReq = await nextRequest(t.backend, TOKEN_ENDPOINT);
    expect((await proofOf(tokenReq))['nonce']).toBeUndefined();
    tokenReq.flush({});
    await Promise.all([second, other]);
  });

  it('remembers the DPoP-Nonce of an error response that is not a nonce challenge', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'WWW-Authenticate': 'DPoP error="insufficient_scope"', 'DPoP-Nonce': 'from-403' },
    });
    expect((errorOf(await result) as HttpErrorResponse).status).toBe(403);
    expect(TestBed.inject(DpopNonces).get(USERS)).toBe('from-403');
  });

  it('forgets the nonces at Dpop.end() (sign-out): the next proof carries none', async () => {
    const first = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush({}, { headers: { 'DPoP-Nonce': 'old' } });
    await first;
    await t.dpop.end();
    const second = outcomeOf(t.http.get(USERS));
    const req = await nextRequest(t.backend, USERS);
    expect((await proofOf(req))['nonce']).toBeUndefined();
    req.flush({});
    await second;
  });

  it('fails with a DpopError naming Access-Control-Expose-Headers when use_dpop_nonce comes without a readable DPoP-Nonce', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, nonceChallenge());

    const error = errorOf(await result) as DpopError;
    expect(error).toBeInstanceOf(DpopError);
    expect(error.code).toBe('nonce_header_not_exposed');
    expect(error.message).toContain('Access-Control-Expose-Headers: DPoP-Nonce');
    expect(error.cause).toBeInstanceOf(HttpErrorResponse);
    t.backend.verify(); // no retry without a nonce
  });

  it('does not retry other DPoP errors (invalid_token): the caller gets the 401', async () => {
    const result = outcomeOf(t.http.get(USERS));
    (await nextRequest(t.backend, USERS)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"', 'DPoP-Nonce': 'n' },
    });
    expect((errorOf(await result) as HttpErrorResponse).status).toBe(401);
    t.backend.verify();
  });
});

describe('dpopInterceptor without a token source', () => {
  const t = dpopTestbed({ tokenSource: false });

  it('fails an allow-listed request with a DpopError that says to add withTokenSource', async () => {
    const error = errorOf(await outcomeOf(t.http.get(USERS))) as DpopError;
    expect(error).toBeInstanceOf(DpopError);
    expect(error.code).toBe('missing_token_source');
    expect(error.message).toContain('withTokenSource');
  });
});
