/**
 * Access tokens per resource (RFC 8707): an opaque token for userinfo from the code exchange,
 * an RFC 9068 JWT for the API from the refresh-token grant with `resource`, both DPoP-bound.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';

import { readConfig, SPA_CLIENT_ID } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { authorize, exchangeCode, signIn } from '../testing/sign-in.ts';
import {
  authorizationServerForSuite,
  startTestAuthorizationServer,
} from '../testing/test-authorization-server.ts';

/** An RFC 9068 JWT access token, as opposed to an opaque one. */
function isJwt(token: unknown): boolean {
  try {
    decodeJwt(String(token));
    return true;
  } catch {
    return false;
  }
}

describe('access tokens for the API', () => {
  const as = authorizationServerForSuite({}, { ttl: { accessToken: 120 } });
  const api = () => as.config.apiResource;

  it('issues an RFC 9068 JWT (typ at+jwt, ES256) for the API on refresh with resource, bound to the same key', async () => {
    const alice = await signIn({ issuer: as.issuer, resource: api() });
    assert.ok(
      !isJwt(alice.tokens.access_token),
      'the code exchange without resource gives an opaque userinfo token',
    );

    const result = await alice.refresh({ resource: api() });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.body['token_type'], 'DPoP');
    assert.equal(result.body['expires_in'], 120, 'the ttl option sets the lifetime');

    const jwks = (await (await fetch(`${as.issuer}/jwks`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(
      result.body['access_token'] as string,
      createLocalJWKSet(jwks),
      {
        typ: 'at+jwt',
        algorithms: ['ES256'],
        issuer: as.issuer,
        audience: api(),
      },
    );
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.aud, api());
    assert.equal(payload.sub, 'alice');
    assert.equal(payload['client_id'], SPA_CLIENT_ID);
    assert.deepEqual(String(payload['scope']).split(' ').sort(), ['apps:read', 'users:read']);
    assert.deepEqual(payload['cnf'], { jkt: alice.dpop.key.thumbprint });
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 120);
  });

  it('refuses the refresh with another DPoP key (the refresh token is bound to the first one)', async () => {
    const alice = await signIn({ issuer: as.issuer, resource: api() });
    const result = await alice.refresh({ resource: api(), dpop: await DpopClient.create() });
    assert.equal(result.status, 400);
    assert.ok(
      ['invalid_grant', 'invalid_dpop_proof'].includes(String(result.body['error'])),
      JSON.stringify(result.body),
    );

    // Control: the owner still can.
    assert.equal((await alice.refresh({ resource: api() })).status, 200);
  });

  it('grants only the API scopes that were requested', async () => {
    const scope = 'openid profile users:read';
    const alice = await signIn({ issuer: as.issuer, resource: api(), scope });
    const result = await alice.refresh({ resource: api() });
    assert.equal(result.status, 200);
    assert.equal(result.body['scope'], 'users:read');
  });

  it('covers the API even when the authorization request named no resource (defaultResource)', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const result = await alice.refresh({ resource: api() });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.ok(isJwt(result.body['access_token']));
  });

  it('issues the API token directly from the code exchange when the token request names the resource', async () => {
    const authorized = await authorize({ issuer: as.issuer, resource: api() });
    const result = await exchangeCode(authorized, { resource: api() });
    assert.equal(result.status, 200);
    assert.ok(isJwt(result.body['access_token']));
    assert.equal(result.body['scope'], 'users:read apps:read');
  });

  it('gives a userinfo token again on refresh without resource', async () => {
    const alice = await signIn({ issuer: as.issuer, resource: api() });
    const result = await alice.refresh();
    assert.equal(result.status, 200);
    assert.ok(!isJwt(result.body['access_token']));
    const { response } = await alice.dpop.fetchWithDpop(`${as.issuer}/me`, {
      accessToken: result.body['access_token'] as string,
    });
    assert.equal(response.status, 200);
  });

  it('keeps the API token out of /me (its audience is the API) and refuses unknown resources', async () => {
    const alice = await signIn({ issuer: as.issuer, resource: api() });
    const apiToken = await alice.refresh({ resource: api() });
    const { response } = await alice.dpop.fetchWithDpop(`${as.issuer}/me`, {
      accessToken: apiToken.body['access_token'] as string,
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

    const unknown = await alice.refresh({ resource: 'http://localhost:9999/other' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body['error'], 'invalid_target');
  });
});

describe('access token lifetime', () => {
  it('reads ACCESS_TOKEN_TTL (seconds) and refuses anything but a positive whole number', () => {
    assert.equal(readConfig({ ACCESS_TOKEN_TTL: '90' }).accessTokenTtl, 90);
    assert.equal(readConfig({}).accessTokenTtl, undefined);
    assert.throws(
      () => readConfig({ ACCESS_TOKEN_TTL: '1.5' }),
      /ACCESS_TOKEN_TTL=1.5 is not a lifetime/,
    );
  });

  it('uses config.accessTokenTtl for both userinfo and API tokens, and 5 minutes by default', async () => {
    const custom = await startTestAuthorizationServer({ accessTokenTtl: 90 });
    const standard = await startTestAuthorizationServer();
    try {
      for (const [as, expected] of [
        [custom, 90],
        [standard, 300],
      ] as const) {
        const alice = await signIn({ issuer: as.issuer });
        assert.equal(alice.tokens.expires_in, expected);
        const apiToken = await alice.refresh({ resource: as.config.apiResource });
        assert.equal(apiToken.body['expires_in'], expected);
      }
    } finally {
      await custom.close();
      await standard.close();
    }
  });
});
