import { HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';

import { dpopChallenge, parseChallenges, readDpopError } from './read-dpop-error';

describe('readDpopError', () => {
  function errorResponse(status: number, headers: Record<string, string>, body: unknown = null) {
    return new HttpErrorResponse({ status, headers: new HttpHeaders(headers), error: body });
  }

  it('reads error and error_description from a WWW-Authenticate: DPoP challenge (RFC 9449 §7.1)', () => {
    const response = errorResponse(401, {
      'WWW-Authenticate':
        'DPoP error="invalid_token", error_description="The access token expired", algs="ES256"',
    });
    expect(readDpopError(response)).toEqual({
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });

  it('finds the DPoP challenge among others and reads token (unquoted) values', () => {
    const response = errorResponse(401, {
      'WWW-Authenticate':
        'Basic abc==, Bearer realm="api", DPoP algs="ES256 PS256", error=use_dpop_nonce',
    });
    expect(readDpopError(response)).toEqual({ error: 'use_dpop_nonce' });
  });

  it('reads a JSON error body, as a token endpoint sends it (RFC 6749 §5.2, RFC 9449 §8)', () => {
    const response = errorResponse(
      400,
      {},
      { error: 'use_dpop_nonce', error_description: 'nonce required' },
    );
    expect(readDpopError(response)).toEqual({
      error: 'use_dpop_nonce',
      error_description: 'nonce required',
    });
  });

  it('reads a JSON error body that arrived as text', () => {
    const response = errorResponse(400, {}, '{"error":"invalid_dpop_proof"}');
    expect(readDpopError(response)).toEqual({ error: 'invalid_dpop_proof' });
  });

  it('prefers the challenge over the body', () => {
    const response = errorResponse(
      401,
      { 'WWW-Authenticate': 'DPoP error="invalid_token"' },
      { error: 'other' },
    );
    expect(readDpopError(response)?.error).toBe('invalid_token');
  });

  it('uses the body when the challenge carries no error (first request without credentials)', () => {
    const response = errorResponse(
      401,
      { 'WWW-Authenticate': 'DPoP algs="ES256"' },
      { error: 'from_body' },
    );
    expect(readDpopError(response)?.error).toBe('from_body');
  });

  it('reads a successful response body too', () => {
    expect(readDpopError(new HttpResponse({ body: { error: 'x' } }))).toEqual({ error: 'x' });
  });

  it('returns null when there is no error to show', () => {
    expect(readDpopError(errorResponse(500, {}, 'Internal Server Error'))).toBeNull();
    expect(
      readDpopError(errorResponse(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' })),
    ).toBeNull();
    expect(readDpopError(errorResponse(0, {}, new ProgressEvent('error')))).toBeNull();
  });
});

describe('parseChallenges (RFC 9110 §11.6.1)', () => {
  it('splits several challenges with their parameters', () => {
    expect(parseChallenges('Bearer realm="a, b", DPoP algs="ES256", error="x"')).toEqual([
      { scheme: 'Bearer', params: { realm: 'a, b' } },
      { scheme: 'DPoP', params: { algs: 'ES256', error: 'x' } },
    ]);
  });

  it('unescapes quoted-pairs and lower-cases parameter names', () => {
    expect(parseChallenges('DPoP Error_Description="say \\"hi\\""')).toEqual([
      { scheme: 'DPoP', params: { error_description: 'say "hi"' } },
    ]);
  });

  it('matches the DPoP scheme case-insensitively across several header values', () => {
    expect(dpopChallenge(['Bearer', 'dpop error="use_dpop_nonce"'])).toEqual({
      error: 'use_dpop_nonce',
    });
    expect(dpopChallenge(['Bearer error="x"'])).toBeNull();
  });

  it('survives garbage without looping', () => {
    expect(parseChallenges('"=,,= ;;, DPoP error="x"')).toContain({
      scheme: 'DPoP',
      params: { error: 'x' },
    });
    expect(parseChallenges('')).toEqual([]);
  });
});
