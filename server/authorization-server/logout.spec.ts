/**
 * RP-initiated logout: our confirmation page, and what signing out does to the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SPA_CLIENT_ID } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { authorize, exchangeCode, refreshTokens, type CookieJar } from '../testing/sign-in.ts';
import {
  startTestAuthorizationServer,
  type TestAuthorizationServer,
} from '../testing/test-authorization-server.ts';

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
  let as: TestAuthorizationServer;
  before(async () => {
    as = await startTestAuthorizationServer();
  });
  after(() => as.close());

  it('shows a signed-in user a confirmation page with a Sign out button and nothing external', async () => {
    const { jar } = await authorize({ issuer: as.issuer, dpop: await DpopClient.create() });
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
    assert.doesNotMatch(html, /<script|<link|@import|fonts\.googleapis/i);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  it('signing out redirects to the app and ends the session, so its refresh token stops working', async () => {
    const dpop = await DpopClient.create();
    const started = await authorize({ issuer: as.issuer, dpop });
    const tokens = await exchangeCode(started);
    const refreshToken = tokens.body['refresh_token'] as string;
    assert.equal(
      (await refreshTokens({ issuer: as.issuer, dpop, refreshToken })).status,
      200,
      'precondition',
    );

    const { html } = await logoutPage(started.jar, as.issuer, {
      client_id: SPA_CLIENT_ID,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'bye',
    });
    const done = await confirm(started.jar, html, as.issuer);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${POST_LOGOUT}?state=bye`);

    const afterLogout = await refreshTokens({ issuer: as.issuer, dpop, refreshToken });
    assert.equal(afterLogout.status, 400);
    assert.equal(afterLogout.body['error'], 'invalid_grant');
  });

  it('without a post_logout_redirect_uri, ends on our "Signed out" page with a link back to the app', async () => {
    const { jar } = await authorize({ issuer: as.issuer, dpop: await DpopClient.create() });
    const { html } = await logoutPage(jar, as.issuer, {});
    const done = await confirm(jar, html, as.issuer);
    assert.equal(done.status, 303);
    const success = await jar.fetch(new URL(done.headers.get('location') ?? '', as.issuer));
    const page = await success.text();
    assert.equal(success.status, 200);
    assert.match(page, /<h1>Signed out<\/h1>/);
    assert.match(page, /<a href="http:\/\/localhost:4200\/">Back to DPoP Lab<\/a>/);
  });

  it('lets the app revoke its own refresh token on sign-out (RFC 7009)', async () => {
    const dpop = await DpopClient.create();
    const tokens = await exchangeCode(await authorize({ issuer: as.issuer, dpop }));
    const refreshToken = tokens.body['refresh_token'] as string;

    const revoked = await fetch(`${as.issuer}/token/revocation`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: SPA_CLIENT_ID,
        token: refreshToken,
        token_type_hint: 'refresh_token',
      }),
    });
    assert.equal(revoked.status, 200);

    const afterRevocation = await refreshTokens({ issuer: as.issuer, dpop, refreshToken });
    assert.equal(afterRevocation.status, 400);
    assert.equal(afterRevocation.body['error'], 'invalid_grant');
  });
});
