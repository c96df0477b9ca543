import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { DpopError } from '@dpop-lab/angular';

import { AuthError } from '../auth/auth-error';
import { reportCspBlock } from '../config/testing/report-csp-block';
import { watchCspViolations } from '../config/csp-violations';
import { settledProblem, toProblem } from './to-problem';

describe('toProblem', () => {
  const api = 'The API at http://localhost:3001/api/';

  it('says the service did not answer when the request never got a response', () => {
    const failure = new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') });
    expect(toProblem(failure, api)).toEqual({
      message: `${api} did not answer: is it running? (npm start)`,
    });
  });

  it('says the page’s CSP blocked the call, and what to add, once the browser has reported it', async () => {
    watchCspViolations();
    const url = 'http://csp.test:3201/api/users';
    const failure = new HttpErrorResponse({ status: 0, url, error: new ProgressEvent('error') });
    const service = 'The API at http://csp.test:3201/api/';
    // The report comes after the failure (csp-violations.ts): settledProblem waits for it.
    const problem = settledProblem(failure, service);
    setTimeout(() => reportCspBlock(url));
    expect((await problem).message).toBe(
      `${service} is not allowed by this page's Content-Security-Policy: the browser blocked the ` +
        'call. Add http://csp.test:3201 to its connect-src (npm start and npm run serve:prod ' +
        'allow the origins config.json names).',
    );
    expect(toProblem(failure, service).message).toBe((await problem).message);
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

  it("shows text chosen by the error's code, the server's own code, and the developer's message as details", () => {
    const server = new AuthError(
      'sign_in_refused',
      'The authorization server refused: access_denied.',
      {
        server: { error: 'access_denied', description: 'User said no' },
      },
    );
    expect(toProblem(server, 'x')).toEqual({
      message: 'The sign-in server did not sign you in. Sign in again.',
      error: 'access_denied',
      description: 'User said no',
      details: 'The authorization server refused: access_denied.',
      fix: 'sign-in',
    });
    const ours = new AuthError(
      'discovery_failed',
      'http://x answered 404: check "issuer" in config.json.',
    );
    expect(toProblem(ours, 'x').message).not.toContain('config.json');
    expect(toProblem(ours, 'x').details).toContain('config.json');
    const storage = new DpopError(
      'key_storage_quota',
      'IndexedDB quota exhausted (withKeyStorage).',
    );
    expect(toProblem(storage, 'x')).toEqual({
      message: 'This browser would not keep the signing key. Allow site data, then reload.',
      details: 'IndexedDB quota exhausted (withKeyStorage).',
    });
  });

  it('says when only a new sign-in helps (a session that ended), and when trying again may', () => {
    const ended = new AuthError('session_expired', 'Your session has ended.', {
      server: { error: 'invalid_grant' },
    });
    expect(toProblem(ended, 'x').fix).toBe('sign-in');
    const down = new AuthError('discovery_unreachable', 'x did not answer');
    expect(toProblem(down, 'x').fix).toBeUndefined();
  });

  it('never shows a stack trace', () => {
    const problem = toProblem(new Error('boom'), api);
    expect(problem).toEqual({ message: 'boom' });
  });
});
