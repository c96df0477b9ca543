/**
 * What a client learns before signing in: the discovery document (RFC 8414 / OIDC Discovery)
 * and the login page the user sees.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SPA_CLIENT_ID } from '../config.ts';
import { startAuthorization } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';

describe('discovery and login page', () => {
  const as = authorizationServerForSuite();

  it('advertises DPoP with ES256, PKCE S256 only, and every endpoint the app uses, under its own issuer', async () => {
    const response = await fetch(`${as.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const metadata = (await response.json()) as Record<string, unknown>;

    assert.equal(metadata['issuer'], as.issuer);
    assert.ok((metadata['dpop_signing_alg_values_supported'] as string[]).includes('ES256'));
    assert.deepEqual(metadata['code_challenge_methods_supported'], ['S256']);
    for (const [name, path] of [
      ['authorization_endpoint', '/auth'],
      ['token_endpoint', '/token'],
      ['userinfo_endpoint', '/me'],
      ['jwks_uri', '/jwks'],
      ['end_session_endpoint', '/session/end'],
      ['revocation_endpoint', '/token/revocation'],
    ]) {
      assert.equal(metadata[name as string], `${as.issuer}${path}`, name);
    }
    assert.deepEqual(metadata['response_types_supported'], ['code']);
    assert.ok((metadata['grant_types_supported'] as string[]).includes('refresh_token'));
  });

  it('publishes an ES256 and an RS256 signing key, public parts only', async () => {
    const { keys } = (await (await fetch(`${as.issuer}/jwks`)).json()) as {
      keys: Record<string, string>[];
    };
    assert.deepEqual(keys.map((key) => key['alg']).sort(), ['ES256', 'RS256']);
    for (const key of keys) {
      assert.equal(key['d'], undefined, `private part of ${key['kid']} must not be published`);
      assert.ok(key['kid']);
    }
  });

  it('shows a login page with labelled Username and Password inputs, a Sign in button, and nothing external', async () => {
    const { loginPage } = await startAuthorization({ issuer: as.issuer });
    const { html, status, action } = loginPage;

    assert.equal(status, 200);
    assert.match(html, /<label for="username">Username<\/label>/);
    assert.match(html, /<input id="username" name="username" type="text"/);
    assert.match(html, /<label for="password">Password<\/label>/);
    assert.match(html, /<input id="password" name="password" type="password"/);
    assert.match(html, /<button type="submit">Sign in<\/button>/);
    assert.match(html, /<form method="post" action="\/interaction\/[\w-]+\/login"/);
    assert.ok(action.startsWith(`${as.issuer}/interaction/`));
    assert.doesNotMatch(html, /<p role="alert"/, 'no error message before the first attempt');

    assert.doesNotMatch(html, /<script/i, 'no scripts');
    assert.doesNotMatch(html, /<link/i, 'no stylesheets or fonts');
    assert.doesNotMatch(html, /@import|url\(/i, 'no CSS imports or remote resources');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i, 'no external URLs');
  });

  it('serves the login page with a CSP that allows only its own inline style, and never from cache', async () => {
    const { loginPage, jar } = await startAuthorization({ issuer: as.issuer });
    const response = await jar.fetch(loginPage.url);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'sha256-[\w+/=]+'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('refuses the login page to a browser without the interaction cookie (another browser, a forged link)', async () => {
    const { loginPage } = await startAuthorization({ issuer: as.issuer });
    const response = await fetch(loginPage.url);
    assert.equal(response.status, 400);
    assert.doesNotMatch(await response.text(), /name="password"/);
  });

  it('registers only the public SPA client: an unknown client gets an error page, not a login page', async () => {
    const url = new URL(`${as.issuer}/auth`);
    url.searchParams.set('client_id', 'someone-else');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', 'http://localhost:4200/login/callback');
    const response = await fetch(url, { redirect: 'manual', headers: { Accept: 'text/html' } });
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.match(html, /invalid_client/);
    assert.doesNotMatch(html, /fonts\.googleapis|<script/i, 'our error page, not the default one');
    assert.notEqual(SPA_CLIENT_ID, 'someone-else');
  });
});
