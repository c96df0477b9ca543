import { HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';

import { readDpopResponse } from './dpop-response';
import { parseChallenges } from './www-authenticate';

describe('readDpopResponse', () => {
  function errorResponse(status: number, headers: Record<string, string>, body: unknown = null) {
    return new HttpErrorResponse({ status, headers: new HttpHeaders(headers), error: body });
  }

  it('reads error, description and algs from a WWW-Authenticate: DPoP challenge (RFC 9449 §7.1)', () => {
    const response = errorResponse(401, {
      'WWW-Authenticate':
        'DPoP error="invalid_token", error_description="The access token expired", algs="ES256 PS256"',
    });
    expect(readDpopResponse(response)).toEqual({
      status: 401,
      url: null,
      error: 'invalid_token',
      description: 'The access token expired',
      challenged: true,
      algs: ['ES256', 'PS256'],
    });
  });

  it('finds the DPoP challenge among others, in any letter case, and reads token values', () => {
    const response = errorResponse(401, {
      'WWW-Authenticate':
        'Basic abc==, Bearer realm="api", dpop algs="ES256", error=use_dpop_nonce',
    });
    expect(readDpopResponse(response).error).toBe('use_dpop_nonce');
    expect(readDpopResponse(response).algs).toEqual(['ES256']);
  });

  it('reads a JSON error body, as a token endpoint sends it (RFC 6749 §5.2, RFC 9449 §8)', () => {
    const response = errorResponse(
      400,
      {},
      { error: 'use_dpop_nonce', error_description: 'nonce required' },
    );
    expect(readDpopResponse(response)).toEqual(
      jasmine.objectContaining({ error: 'use_dpop_nonce', description: 'nonce required' }),
    );
  });

  it('reads a JSON error body that arrived as text', () => {
    const response = errorResponse(400, {}, '{"error":"invalid_dpop_proof"}');
    expect(readDpopResponse(response).error).toBe('invalid_dpop_proof');
  });

  it('prefers the challenge over the body, and uses the body when the challenge has no error', () => {
    const challenged = errorResponse(
      401,
      { 'WWW-Authenticate': 'DPoP error="invalid_token"' },
      { error: 'other' },
    );
    expect(readDpopResponse(challenged).error).toBe('invalid_token');
    const bare = errorResponse(401, { 'WWW-Authenticate': 'DPoP algs="ES256"' }, { error: 'body' });
    expect(readDpopResponse(bare).error).toBe('body');
  });

  it('reads the nonce (trimmed) and the Date header of a successful response', () => {
    const date = 'Wed, 02 Dec 2026 12:00:00 GMT';
    const response = new HttpResponse({
      status: 200,
      headers: new HttpHeaders({ 'dpop-nonce': ' n-1 ', Date: date }),
      body: { error: 'x' },
    });
    expect(readDpopResponse(response)).toEqual({
      status: 200,
      url: null,
      challenged: false,
      error: 'x',
      nonce: 'n-1',
      date: Date.parse(date),
    });
  });

  it('has no error when there is none to show, and nothing from a Bearer challenge', () => {
    expect(readDpopResponse(errorResponse(500, {}, 'Internal Server Error')).error).toBeUndefined();
    const bearer = errorResponse(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    expect(readDpopResponse(bearer)).toEqual({ status: 401, url: null, challenged: true });
    expect(readDpopResponse(errorResponse(0, {}, new ProgressEvent('error')))).toEqual({
      status: 0,
      url: null,
      challenged: false,
    });
  });

  it('says a WWW-Authenticate header was readable whatever its scheme, and not when there is none', () => {
    // A readable Bearer-only 401 is not one whose header CORS hid (challenge_header_not_exposed).
    const bearerOnly = errorResponse(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    expect(readDpopResponse(bearerOnly).challenged).toBeTrue();
    expect(readDpopResponse(errorResponse(401, {})).challenged).toBeFalse();
  });
});

describe('parseChallenges (RFC 9110 §11.6.1)', () => {
  it('splits several challenges with their parameters', () => {
    expect(parseChallenges(['Bearer realm="a, b", DPoP algs="ES256", error="x"'])).toEqual([
      { scheme: 'Bearer', params: { realm: 'a, b' } },
      { scheme: 'DPoP', params: { algs: 'ES256', error: 'x' } },
    ]);
  });

  it('unescapes quoted-pairs and lower-cases parameter names', () => {
    expect(parseChallenges(['DPoP Error_Description="say \\"hi\\""'])).toEqual([
      { scheme: 'DPoP', params: { error_description: 'say "hi"' } },
    ]);
  });

  it('reads challenges spread over several header values', () => {
    expect(parseChallenges(['Bearer', 'dpop error="use_dpop_nonce"'])).toEqual([
      { scheme: 'Bearer', params: {} },
      { scheme: 'dpop', params: { error: 'use_dpop_nonce' } },
    ]);
  });

  it('survives garbage without looping', () => {
    expect(parseChallenges(['"=,,= ;;, DPoP error="x"'])).toContain({
      scheme: 'DPoP',
      params: { error: 'x' },
    });
    expect(parseChallenges([''])).toEqual([]);
  });
});
