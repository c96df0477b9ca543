/**
 * The walkthrough's two extra clients against the real authorization server and the real API:
 * - `dpop-lab-bearer` gets plain Bearer tokens (no DPoP), and the API accepts them as Bearer —
 *   from anyone who holds them, which is the point of the comparison;
 * - `dpop-lab-service` (confidential) gets DPoP-bound tokens with client credentials, nonce
 *   handshake included, limited to apps:read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeJwt } from 'jose';

import { BEARER_CLIENT_ID, SERVICE_CLIENT, SPA_CLIENT_ID } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { apiAccessToken, authorize, codeExchangeForm } from '../testing/sign-in.ts';
import { testWorldForSuite } from '../testing/test-world.ts';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function postForm(url: string, form: Record<string, string> | URLSearchParams, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('the bearer client (dpop-lab-bearer)', () => {
  const world = testWorldForSuite();
  const tokenEndpoint = () => `${world.issuer}/token`;

  /** Signs in as alice with the bearer client, no DPoP anywhere; returns the token responses. */
  async function bearerSignIn() {
    const started = await authorize({
      issuer: world.issuer,
      clientId: BEARER_CLIENT_ID,
      dpopJkt: null,
      resource: world.resource,
    });
    const code = await postForm(tokenEndpoint(), codeExchangeForm(started));
    assert.equal(code.status, 200, JSON.stringify(code.body));
    const api = await postForm(tokenEndpoint(), {
      grant_type: 'refresh_token',
      client_id: BEARER_CLIENT_ID,
      refresh_token: code.body.refresh_token,
      resource: world.resource,
    });
    assert.equal(api.status, 200, JSON.stringify(api.body));
    return { code: code.body, api: api.body };
  }

  it('issues plain Bearer tokens without any DPoP proof: token_type Bearer, no cnf, its client_id', async () => {
    const { code, api } = await bearerSignIn();
    assert.equal(code.token_type, 'Bearer');
    assert.equal(typeof code.id_token, 'string');
    assert.equal(api.token_type, 'Bearer');
    const claims = decodeJwt(api.access_token);
    assert.equal(claims['client_id'], BEARER_CLIENT_ID);
    assert.equal(claims['cnf'], undefined, 'an unbound token');
    assert.equal(claims.aud, world.resource);
  });

  it('the API accepts its token as Bearer — from anyone who holds it, with no proof at all', async () => {
    const { api } = await bearerSignIn();
    const response = await fetch(`${world.api}/api/users`, {
      headers: { Authorization: `Bearer ${api.access_token}` },
    });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(await response.json()));
  });

  it('the API refuses its token under the DPoP scheme: it is not DPoP-bound (invalid_token)', async () => {
    const { api } = await bearerSignIn();
    const dpop = await DpopClient.create();
    const { response } = await dpop.fetchWithDpop(`${world.api}/api/users`, {
      accessToken: api.access_token,
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(response.headers.get('www-authenticate') ?? '', /not DPoP-bound/);
  });

  it("the SPA's DPoP-bound token sent as Bearer stays refused (invalid_token, DPoP-bound)", async () => {
    const dpop = await DpopClient.create();
    const token = await apiAccessToken({ issuer: world.issuer, dpop, resource: world.resource });
    assert.equal(decodeJwt(token)['client_id'], SPA_CLIENT_ID);
    const response = await fetch(`${world.api}/api/users`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="invalid_token"/);
    assert.match(challenge, /DPoP-bound/);
  });
});

describe('the service client (dpop-lab-service, client credentials + DPoP)', () => {
  const world = testWorldForSuite();
  const tokenEndpoint = () => `${world.issuer}/token`;
  const auth = basic(SERVICE_CLIENT.id, SERVICE_CLIENT.secret);

  const form = (scope = 'apps:read') => ({
    grant_type: 'client_credentials',
    scope,
    resource: world.resource,
  });

  async function serviceToken(dpop: DpopClient, scope?: string) {
    const { response, challenge } = await dpop.fetchWithDpop(tokenEndpoint(), {
      method: 'POST',
      headers: { Authorization: auth },
      body: new URLSearchParams(form(scope)),
    });
    return { response, challenge, body: (await response.json()) as Record<string, unknown> };
  }

  it('gets a DPoP-bound JWT for the API after the nonce handshake (400 use_dpop_nonce, then 200)', async () => {
    const dpop = await DpopClient.create();
    const { response, challenge, body } = await serviceToken(dpop);
    assert.equal(challenge?.status, 400);
    assert.equal(challenge?.error, 'use_dpop_nonce');
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body['token_type'], 'DPoP');
    assert.equal(body['refresh_token'], undefined, 'client credentials get no refresh token');
    const claims = decodeJwt(String(body['access_token']));
    assert.deepEqual(claims['cnf'], { jkt: dpop.key.thumbprint });
    assert.equal(claims['client_id'], SERVICE_CLIENT.id);
    assert.equal(claims.aud, world.resource);
    assert.equal(claims['scope'], 'apps:read');
  });

  it('is limited to apps:read even when it asks for users:read too', async () => {
    const { body } = await serviceToken(await DpopClient.create(), 'apps:read users:read');
    assert.equal(decodeJwt(String(body['access_token']))['scope'], 'apps:read');
  });

  it('its token reads /api/apps (200) but not /api/users (403 insufficient_scope)', async () => {
    const dpop = await DpopClient.create();
    const accessToken = String((await serviceToken(dpop)).body['access_token']);
    const apps = await dpop.fetchWithDpop(`${world.api}/api/apps`, { accessToken });
    assert.equal(apps.response.status, 200);
    assert.equal(apps.challenge?.status, 401, 'the API asked for its own nonce first');
    const users = await dpop.fetchWithDpop(`${world.api}/api/users`, { accessToken });
    assert.equal(users.response.status, 403);
    assert.match(users.response.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });

  it('refuses a token request without a DPoP proof (dpop_bound_access_tokens)', async () => {
    const result = await postForm(tokenEndpoint(), form(), { Authorization: auth });
    assert.equal(result.status, 400);
    assert.equal(typeof result.body.error, 'string');
    assert.equal(result.body.access_token, undefined);
  });

  it('refuses a wrong client secret (401 invalid_client)', async () => {
    const dpop = await DpopClient.create();
    const { response } = await dpop.fetchWithDpop(tokenEndpoint(), {
      method: 'POST',
      headers: { Authorization: basic(SERVICE_CLIENT.id, 'not-the-secret') },
      body: new URLSearchParams(form()),
    });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
  });

  it('the public clients cannot use client credentials', async () => {
    for (const clientId of [SPA_CLIENT_ID, BEARER_CLIENT_ID]) {
      const dpop = await DpopClient.create();
      const { response } = await dpop.fetchWithDpop(tokenEndpoint(), {
        method: 'POST',
        body: new URLSearchParams({ ...form(), client_id: clientId }),
      });
      assert.equal(response.status, 400, clientId);
      const body = (await response.json()) as { error_description?: string };
      assert.match(body.error_description ?? '', /grant type is not allowed/, clientId);
    }
  });
});
