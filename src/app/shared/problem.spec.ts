import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { AuthError } from '../auth/auth-error';
import { DpopError } from '../dpop';
import { toProblem } from './problem';

describe('toProblem', () => {
  const api = 'The API at http://localhost:3001/api/';

  it('says the service did not answer when the request never got a response', () => {
    const failure = new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') });
    expect(toProblem(failure, api)).toEqual({
      message: `${api} did not answer: is it running? (npm start)`,
    });
  });

  it("reads a resource server's error from its WWW-Authenticate: DPoP challenge", () => {
    const failure = new HttpErrorResponse({
      status: 401,
      statusText: 'Unauthorized',
      headers: new HttpHeaders({
        'WWW-Authenticate': 'DPoP error="invalid_dpop_proof", error_description="jti reused"',
      }),
    });
    expect(toProblem(failure, api)).toEqual({
      message: `${api} refused the request (401 Unauthorized).`,
      error: 'invalid_dpop_proof',
      description: 'jti reused',
    });
  });

  it("reads a token endpoint's error from its JSON body", () => {
    const failure = new HttpErrorResponse({
      status: 400,
      error: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    expect(toProblem(failure, 'The token endpoint')).toEqual(
      jasmine.objectContaining({ error: 'invalid_grant', description: 'grant request is invalid' }),
    );
  });

  it('names the status when the server gave no error code', () => {
    const failure = new HttpErrorResponse({ status: 500, statusText: 'Internal Server Error' });
    expect(toProblem(failure, api)).toEqual({
      message: `${api} answered 500 Internal Server Error.`,
    });
  });

  it("shows the server's code for a server error, and only the message for the app's own", () => {
    const server = new AuthError('sign_in_refused', 'Refused.', {
      server: { error: 'access_denied', description: 'User said no' },
    });
    expect(toProblem(server, 'x')).toEqual({
      message: 'Refused.',
      error: 'access_denied',
      description: 'User said no',
    });
    expect(toProblem(new AuthError('state_mismatch', 'Does not match.'), 'x')).toEqual({
      message: 'Does not match.',
    });
    expect(toProblem(new DpopError('key_storage_failed', 'No IndexedDB.'), 'x')).toEqual({
      message: 'No IndexedDB.',
    });
  });

  it('never shows a stack trace', () => {
    const problem = toProblem(new Error('boom'), api);
    expect(problem).toEqual({ message: 'boom' });
  });
});
