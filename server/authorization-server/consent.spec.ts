/**
 * The consent step: the plain-bearer client asks the user on a page, once per session, before
 * any code (and so any refresh token) is issued; the DPoP app is never asked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BEARER_CLIENT_ID } from '../config.ts';
import {
  AuthorizationError,
  authorizationRequest,
  authorize,
  followRedirects,
  startAuthorization,
  submitLogin,
  type SignInOptions,
} from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';

describe('consent', () => {
  const as = authorizationServerForSuite();
  const bearer = (consent: SignInOptions['consent']): SignInOptions => ({
    issuer: as.issuer,
    clientId: BEARER_CLIENT_ID,
    dpopJkt: null,
    consent,
  });

  it('the plain-bearer client gets a page after the login, before any code: what it asks for, Allow and Cancel', async () => {
    const started = await startAuthorization(bearer('show'));
    const page = await submitLogin(started, 'alice', 'alice-password');
    assert.ok(!page.ok, 'no code yet');
    assert.equal(page.status, 200);
    assert.match(page.html, /<h1>Allow access\?<\/h1>/);
    assert.match(page.html, /<strong>DPoP Lab \(plain bearer tokens\)<\/strong> asks to:/);
    for (const ask of [
      'know who you are',
      'see your email address',
      'read the users API for you',
      'keep you signed in for up to 24 hours (a refresh token)',
    ]) {
      assert.ok(page.html.includes(`<li>${ask}</li>`), ask);
    }
    assert.match(page.html, /anyone who copies one/);
    assert.match(page.html, /<button type="submit" name="decision" value="allow">Allow<\/button>/);
    assert.match(page.html, /name="decision" value="deny" class="secondary">Cancel<\/button>/);
    assert.doesNotMatch(page.html, /<script|<link/);
  });

  it('Allow gives the code; a second sign-in in the same browser session is not asked again', async () => {
    const first = await authorize(bearer('allow'));
    assert.match(first.code, /^[\w-]{20,}$/);

    const again = await authorizationRequest(bearer('show'));
    const { url } = await followRedirects(first.jar, again.url, again.redirectUri);
    assert.match(new URL(url).searchParams.get('code') ?? '', /^[\w-]{20,}$/, url);
  });

  it('Cancel sends the browser back to the app with access_denied and no code', async () => {
    await assert.rejects(
      authorize(bearer('deny')),
      (error: unknown) => error instanceof AuthorizationError && error.error === 'access_denied',
    );
  });

  it('the DPoP app is never asked: the login leads straight to its code', async () => {
    const started = await startAuthorization({ issuer: as.issuer, consent: 'show' });
    const result = await submitLogin(started, 'alice', 'alice-password');
    assert.equal(result.ok, true);
  });
});
