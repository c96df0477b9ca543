import { HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';
import { readDpopAnswer as readDpopResponse } from '@dpop-lab/protocol';

/** The protocol's `readDpopAnswer` takes Angular's responses as they are: what the sender relies on. */
describe('readDpopAnswer of an Angular response', () => {
  it("reads an HttpErrorResponse's challenge, sent as two WWW-Authenticate headers", () => {
    const headers = new HttpHeaders()
      .append('WWW-Authenticate', 'Bearer realm="api"')
      .append('WWW-Authenticate', 'DPoP error=use_dpop_nonce, algs="ES256"')
      .append('DPoP-Nonce', 'n-1');
    const error = new HttpErrorResponse({
      status: 401,
      headers,
      url: 'http://localhost:3001/api/users',
    });
    expect(readDpopResponse(error)).toEqual({
      status: 401,
      url: 'http://localhost:3001/api/users',
      challenged: true,
      error: 'use_dpop_nonce',
      algs: ['ES256'],
      nonce: 'n-1',
    });
  });

  it("reads a token endpoint's JSON error from HttpErrorResponse.error, and nothing from a success body", () => {
    const refused = new HttpErrorResponse({ status: 400, error: { error: 'invalid_grant' } });
    expect(readDpopResponse(refused).error).toBe('invalid_grant');
    const success = new HttpResponse({ status: 200, body: { error: 'not an OAuth error' } });
    expect(readDpopResponse(success)).toEqual({ status: 200, challenged: false });
  });

  it('reads no answer (status 0: network or CORS failure) as such', () => {
    const failed = new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') });
    expect(readDpopResponse(failed)).toEqual({ status: 0, challenged: false });
  });
});
