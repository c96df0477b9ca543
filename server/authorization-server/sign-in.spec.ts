/**
 * The sign-in the SPA performs: authorization code + PKCE (RFC 7636) + DPoP (RFC 9449), through
 * the real login page, then the token endpoint's nonce handshake and userinfo.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { signProof } from '@dpop-lab/protocol';

import { SPA_CLIENT_ID } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import {
  AuthorizationError,
  authorize,
  codeExchangeForm,
  exchangeCode,
  startAuthorization,
  submitLogin,
} from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';
import { WRONG_CREDENTIALS_MESSAGE } from './login-page.ts';

const SPA_ORIGIN = 'http://localhost:4200';

/** The authorization server sent the browser back with this error (RFC 6749 §4.1.2.1). */
const authorizationError = (error: string, description: RegExp) => (thrown: unknown) =>
  thrown instanceof AuthorizationError &&
  thrown.error === error &&
  description.test(thrown.errorDescription ?? '');

describe('sign-in with code, PKCE and DPoP', () => {
  const as = authorizationServerForSuite();

  it('answers the first token request with 400 use_dpop_nonce and a DPoP-Nonce, then issues DPoP-bound tokens', async () => {
    const started = await authorize({ issuer: as.issuer, resource: as.config.apiResource });
    const result = await exchangeCode(started);

    assert.ok(result.challenge, 'the first proof (no nonce) must be challenged');
    assert.equal(result.challenge.status, 400);
    assert.equal(result.challenge.error, 'use_dpop_nonce');
    assert.match(result.challenge.nonce, /^[\w-]{20,}$/);

    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.body['token_type'], 'DPoP');
    assert.equal(typeof result.body['access_token'], 'string');
    assert.equal(typeof result.body['refresh_token'], 'string');
    assert.equal(result.headers.get('cache-control'), 'no-store');

    // The ID token: ES256 for our client, signed by a key in the JWKS, for this sign-in.
    const idToken = result.body['id_token'] as string;
    assert.equal(decodeProtectedHeader(idToken).alg, 'ES256');
    const jwks = (await (await fetch(`${as.issuer}/jwks`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: as.issuer,
      audience: SPA_CLIENT_ID,
    });
    assert.equal(payload.sub, 'alice');
    assert.equal(payload['nonce'], started.nonce);
  });

  it("accepts the access token at /me only with a DPoP proof that carries ath, and returns alice's claims", async () => {
    const authorized = await authorize({ issuer: as.issuer });
    const { dpop } = authorized.options;
    const result = await exchangeCode(authorized);
    const accessToken = result.body['access_token'] as string;
    const userinfo = `${as.issuer}/me`;

    const { response } = await dpop.fetchWithDpop(userinfo, { accessToken });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      sub: 'alice',
      name: 'Alice Anders',
      preferred_username: 'alice',
      email: 'alice@example.com',
      email_verified: true,
    });

    // A proof without `ath` does not bind this token (RFC 9449 §4.3 step 11).
    const nonce = dpop.nonces.get(new URL(as.issuer).origin);
    const withoutAth = await fetch(userinfo, {
      headers: {
        Authorization: `DPoP ${accessToken}`,
        DPoP: await signProof(dpop.key, { htm: 'GET', htu: userinfo, nonce }),
      },
    });
    assert.equal(withoutAth.status, 401);
    assert.match(
      withoutAth.headers.get('www-authenticate') ?? '',
      /^DPoP .*error="invalid_dpop_proof"/,
    );
  });

  it('refuses the DPoP-bound access token when presented as a Bearer token', async () => {
    const result = await exchangeCode(await authorize({ issuer: as.issuer }));
    const response = await fetch(`${as.issuer}/me`, {
      headers: { Authorization: `Bearer ${result.body['access_token'] as string}` },
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('requires a nonce at /me too: 401 WWW-Authenticate DPoP error="use_dpop_nonce", then the retry succeeds', async () => {
    const authorized = await authorize({ issuer: as.issuer });
    const result = await exchangeCode(authorized);
    const { response, challenge } = await authorized.options.dpop.fetchWithDpop(`${as.issuer}/me`, {
      accessToken: result.body['access_token'] as string,
      nonce: null,
      headers: { Origin: SPA_ORIGIN },
    });
    assert.ok(challenge);
    assert.equal(challenge.status, 401);
    assert.match(challenge.wwwAuthenticate ?? '', /^DPoP .*error="use_dpop_nonce"/);
    assert.equal(response.status, 200);
    // The browser may read both headers only because they are exposed (CORS).
    const exposed = response.headers.get('access-control-expose-headers') ?? '';
    assert.match(exposed, /DPoP-Nonce/);
    assert.match(exposed, /WWW-Authenticate/);
    assert.equal(response.headers.get('access-control-allow-origin'), SPA_ORIGIN);
  });

  it('lets the SPA origin call the token endpoint (CORS, nonce headers exposed) and refuses other origins', async () => {
    const started = await authorize({ issuer: as.issuer });
    const { dpop } = started.options;
    const body = codeExchangeForm(started);

    const evil = await dpop.fetchWithDpop(`${as.issuer}/token`, {
      method: 'POST',
      body,
      headers: { Origin: 'http://evil.example' },
    });
    assert.equal(evil.response.status, 400);
    assert.equal(evil.response.headers.get('access-control-allow-origin'), null);

    const { response } = await dpop.fetchWithDpop(`${as.issuer}/token`, {
      method: 'POST',
      body,
      headers: { Origin: SPA_ORIGIN },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), SPA_ORIGIN);
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /DPoP-Nonce/);
  });
});

describe('what the sign-in refuses', () => {
  const as = authorizationServerForSuite();

  it('re-renders the login page with "Wrong username or password." for a wrong password, and nothing else happens', async () => {
    const started = await startAuthorization({ issuer: as.issuer });
    const refused = await submitLogin(started, 'alice', 'not-her-password');

    assert.equal(refused.ok, false);
    assert.ok(!refused.ok);
    assert.equal(refused.status, 401, 'no redirect');
    assert.equal(refused.url, started.loginPage.action);
    assert.match(refused.html, new RegExp(`<p role="alert">${WRONG_CREDENTIALS_MESSAGE}</p>`));
    assert.match(refused.html, /value="alice"/, 'the username is kept');
    assert.match(refused.html, /<button type="submit">Sign in<\/button>/);

    // The same interaction still works with the right password.
    const accepted = await submitLogin(started, 'alice', 'alice-password');
    assert.equal(accepted.ok, true);
  });

  it('refuses an unknown username with the same message', async () => {
    const started = await startAuthorization({ issuer: as.issuer });
    const refused = await submitLogin(started, 'mallory', 'alice-password');
    assert.ok(!refused.ok);
    assert.match(refused.html, new RegExp(WRONG_CREDENTIALS_MESSAGE));
  });

  it('escapes what the user typed when it shows it again', async () => {
    const started = await startAuthorization({ issuer: as.issuer });
    const refused = await submitLogin(started, '"><script>alert(1)</script>', 'x');
    assert.ok(!refused.ok);
    assert.doesNotMatch(refused.html, /<script>/);
    assert.match(refused.html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  });

  it('answers 413 to a login form larger than 8 KiB', async () => {
    const started = await startAuthorization({ issuer: as.issuer });
    const response = await started.jar.fetch(started.loginPage.action, {
      method: 'POST',
      body: new URLSearchParams({ username: 'alice', password: 'x'.repeat(9000) }),
    });
    assert.equal(response.status, 413);
  });

  it('refuses an authorization request without PKCE', async () => {
    await assert.rejects(
      startAuthorization({ issuer: as.issuer, pkce: 'none' }),
      authorizationError('invalid_request', /PKCE/),
    );
  });

  it('refuses PKCE with the plain method (S256 only)', async () => {
    await assert.rejects(
      startAuthorization({ issuer: as.issuer, pkce: 'plain' }),
      authorizationError('invalid_request', /code_challenge_method/),
    );
  });

  it('refuses a code exchange with the wrong code_verifier', async () => {
    const result = await exchangeCode(await authorize({ issuer: as.issuer }), {
      codeVerifier: 'a'.repeat(43),
    });
    assert.equal(result.status, 400);
    assert.equal(result.body['error'], 'invalid_grant');
  });

  it('refuses a code exchange whose DPoP key is not the one named by dpop_jkt on the authorization request', async () => {
    const other = await DpopClient.create();
    const authorizeForOther = () => authorize({ issuer: as.issuer, dpopJkt: other.key.thumbprint });
    const result = await exchangeCode(await authorizeForOther());
    assert.equal(result.status, 400);
    assert.equal(result.body['error'], 'invalid_grant');

    // Control: the same request, exchanged with the key dpop_jkt names, succeeds.
    const control = await exchangeCode(await authorizeForOther(), { dpop: other });
    assert.equal(control.status, 200, JSON.stringify(control.body));
  });

  it('refuses a code exchange without a DPoP proof (the client requires DPoP-bound tokens)', async () => {
    const started = await authorize({ issuer: as.issuer, dpopJkt: null });
    const response = await fetch(`${as.issuer}/token`, {
      method: 'POST',
      body: codeExchangeForm(started),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_grant');
  });
});
