/**
 * RP-initiated logout: our confirmation page, and what signing out does to the session.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SPA_CLIENT_ID } from '../config.ts';
import type { CookieJar } from '../testing/cookie-jar.ts';
import { authorize, signIn } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';
import { revoke } from './testing/revoke.ts';

const POST_LOGOUT = 'http://localhost:4200/';

async function logoutPage(jar: CookieJar, issuer: string, params: Record<string, string>) {
  const response = await jar.fetch(
    `${issuer}/session/end?${new URLSearchParams(params).toString()}`,
  );
  const html = await response.text();
  return { response, html };
}

async function confirm(jar: CookieJar, html: string, issuer: string) {
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(action && xsrf, "the page carries oidc-provider's form");
  return jar.fetch(new URL(action, issuer), {
    method: 'POST',
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  });
}

describe('RP-initiated logout', () => {
  const as = authorizationServerForSuite();

  it('shows a signed-in user a confirmation page with one Sign out button and nothing external', async () => {
    const { jar } = await authorize({ issuer: as.issuer });
    const { response, html } = await logoutPage(jar, as.issuer, {
      client_id: SPA_CLIENT_ID,
      post_logout_redirect_uri: POST_LOGOUT,
    });
    assert.equal(response.status, 200);
    assert.match(
      html,
      /<button type="submit" form="op.logoutForm" name="logout" value="yes"[^>]*>Sign out<\/button>/,
    );
    assert.match(html, /of DPoP Lab/);
    // The app has signed out, deleted its key and revoked the refresh token before it comes here:
    // no option to stay signed in, which could not be honoured.
    assert.equal(html.match(/<button/g)?.length, 1);
    assert.doesNotMatch(html, /stay signed in/i);
    assert.doesNotMatch(html, /<script|<link|@import|fonts\.googleapis/i);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  it('signing out redirects to the app and ends the session, so its refresh token stops working', async () => {
    const alice = await signIn({ issuer: as.issuer });
    assert.equal((await alice.refresh()).status, 200, 'precondition');

    const { html } = await logoutPage(alice.jar, as.issuer, {
      client_id: SPA_CLIENT_ID,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'bye',
    });
    const done = await confirm(alice.jar, html, as.issuer);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${POST_LOGOUT}?state=bye`);

    const afterLogout = await alice.refresh();
    assert.equal(afterLogout.status, 400);
    assert.equal(afterLogout.body['error'], 'invalid_grant');
  });

  it('without a post_logout_redirect_uri, ends on our "Signed out" page with a link back to the app', async () => {
    const { jar } = await authorize({ issuer: as.issuer });
    const { html } = await logoutPage(jar, as.issuer, {});
    const done = await confirm(jar, html, as.issuer);
    assert.equal(done.status, 303);
    const success = await jar.fetch(new URL(done.headers.get('location') ?? '', as.issuer));
    const page = await success.text();
    assert.equal(success.status, 200);
    assert.match(page, /<h1>Signed out<\/h1>/);
    assert.match(page, /<a href="http:\/\/localhost:4200\/">Back to DPoP Lab<\/a>/);
  });

  it('lets the app revoke its own refresh token on sign-out (RFC 7009), with a DPoP proof of its key', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const { response } = await revoke(as.issuer, { token: alice.refreshToken, dpop: alice.dpop });
    assert.equal(response.status, 200);

    const afterRevocation = await alice.refresh();
    assert.equal(afterRevocation.status, 400);
    assert.equal(afterRevocation.body['error'], 'invalid_grant');
  });
});
