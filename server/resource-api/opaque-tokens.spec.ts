/**
 * The whole opaque-token path on the real parts: the embedded authorization server issues opaque
 * DPoP-bound tokens for the API (AS_API_TOKEN_FORMAT=opaque), as WSO2 IS does, and the API checks
 * them at its introspection endpoint (RFC 7662) with its own client, `dpop-lab-api`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { decodeJwt } from 'jose';

import { API_CLIENT, SPA_CLIENT_ID, type WorldConfig } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { freePort } from '../testing/free-port.ts';
import { discover, signIn } from '../testing/sign-in.ts';
import { startTestWorld, testWorldForSuite, type TestWorld } from '../testing/test-world.ts';
import { startResourceApi } from './create-resource-api.ts';

/** A fresh opaque access token for the API, bound to `dpop`'s key. */
async function opaqueToken(world: { issuer: string; resource: string }, dpop?: DpopClient) {
  const session = await signIn({ issuer: world.issuer, resource: world.resource, dpop });
  const result = await session.refresh({ resource: world.resource });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return { token: String(result.body['access_token']), dpop: session.dpop };
}

/** Another API instance on a free port, trusting `world`'s issuer for its resource. */
async function extraApi(world: TestWorld, changes: Partial<WorldConfig> = {}) {
  const port = await freePort('localhost');
  return startResourceApi({
    config: {
      ...world.config,
      apiPort: port,
      apiPublicUrl: `http://localhost:${port}`,
      ...changes,
    },
    port,
    log: () => undefined,
  });
}

async function getUsers(api: string, dpop: DpopClient, accessToken: string) {
  const { response } = await dpop.fetchWithDpop(`${api}/api/users`, { accessToken });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, challenge: response.headers.get('www-authenticate') };
}

describe('opaque API tokens from the embedded authorization server', () => {
  const world = testWorldForSuite({ asApiTokenFormat: 'opaque' });

  test('the token is opaque, DPoP-bound, and the API accepts it after introspection', async () => {
    const { token, dpop } = await opaqueToken(world);
    assert.throws(() => decodeJwt(token), 'not a JWT');
    const answer = await getUsers(world.api, dpop, token);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });

  test('the same token with another key is refused (cnf.jkt from the introspection answer)', async () => {
    const { token } = await opaqueToken(world);
    const answer = await getUsers(world.api, await DpopClient.create(), token);
    assert.equal(answer.status, 401);
    assert.match(String(answer.body['error_description']), /different key/);
  });

  test('a revoked token is inactive: 401 invalid_token', async () => {
    const { token, dpop } = await opaqueToken(world);
    const revoked = await fetch((await discover(world.issuer)).revocation_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: SPA_CLIENT_ID,
        token,
        token_type_hint: 'access_token',
      }),
    });
    assert.equal(revoked.status, 200);
    const answer = await getUsers(world.api, dpop, token);
    assert.equal(answer.status, 401);
    assert.match(String(answer.body['error_description']), /not active/);
  });

  test('only the API client may introspect, and only the API’s tokens', async () => {
    const { token } = await opaqueToken(world);
    const introspect = async (id: string, secret: string, subject: string) => {
      const response = await fetch(`${world.issuer}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
        body: new URLSearchParams({ token: subject }),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const answer = await introspect(API_CLIENT.id, API_CLIENT.secret, token);
    assert.equal(answer['active'], true);
    assert.equal(answer['aud'], world.resource);
    assert.equal(
      (await introspect('dpop-lab-service', 'dpop-lab-service-secret', token))['active'],
      false,
    );
  });

  test('wrong introspection credentials: 503 naming the settings to check, never a 200', async () => {
    const api = await extraApi(world, {
      apiIntrospectionClient: { id: API_CLIENT.id, secret: 'wrong' },
    });
    try {
      const { token, dpop } = await opaqueToken(world);
      const answer = await getUsers(api.url, dpop, token);
      assert.equal(answer.status, 503);
      assert.match(String(answer.body['error_description']), /could not check the access token/);
      assert.match(answer.challenge ?? '', /error="temporarily_unavailable"/);
    } finally {
      await api.close();
    }
  });
});

test('an expired opaque token is inactive; an unreachable authorization server is a 503', async () => {
  const world = await startTestWorld({ asApiTokenFormat: 'opaque', accessTokenTtl: 1 });
  let worldRunning = true;
  const api = await extraApi(world);
  try {
    const { token, dpop } = await opaqueToken(world);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const expired = await getUsers(world.api, dpop, token);
    assert.equal(expired.status, 401, JSON.stringify(expired.body));
    assert.match(String(expired.body['error_description']), /not active/);

    const { token: fresh } = await opaqueToken(world, dpop);
    await world.close();
    worldRunning = false;
    const down = await getUsers(api.url, dpop, fresh);
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.match(down.challenge ?? '', /error="temporarily_unavailable"/);
  } finally {
    await api.close();
    if (worldRunning) await world.close();
  }
});
