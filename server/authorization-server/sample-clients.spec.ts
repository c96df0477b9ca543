/**
 * The sample apps' clients (sample-clients.ts) against the real authorization server and API:
 * each signs in on its own origin without a consent page, gets DPoP-bound tokens for the API with
 * a refresh token, is refused without a proof, and may call the API from its origin (CORS).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeJwt } from 'jose';

import { SAMPLE_NAMES, SAMPLES } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { authorize, codeExchangeForm, exchangeCode } from '../testing/sign-in.ts';
import { testWorldForSuite } from '../testing/test-world.ts';

describe('the sample apps’ clients', () => {
  const world = testWorldForSuite();

  for (const name of SAMPLE_NAMES) {
    const clientId = SAMPLES[name].clientId;
    const origin = () => world.config.sampleOrigins[name];
    const signIn = (dpopJkt?: null) =>
      authorize({
        issuer: world.issuer,
        clientId,
        redirectUri: `${origin()}/`,
        resource: world.resource,
        dpopJkt,
      });

    it(`${name}: signs in on its own origin, gets DPoP-bound API tokens and a refresh token, and calls the API from there`, async () => {
      const authorized = await signIn();
      const exchange = await exchangeCode(authorized, { resource: world.resource });
      assert.equal(exchange.status, 200, JSON.stringify(exchange.body));
      assert.ok(exchange.challenge, 'the token endpoint asked for a DPoP nonce first');
      const { access_token, token_type, refresh_token, id_token } = exchange.body;
      assert.equal(token_type, 'DPoP');
      assert.equal(typeof refresh_token, 'string');
      assert.equal(decodeJwt(String(id_token)).aud, clientId);
      const claims = decodeJwt(String(access_token));
      assert.equal(claims.aud, world.resource);
      assert.deepEqual(claims['cnf'], { jkt: authorized.options.dpop.key.thumbprint });

      const { response } = await authorized.options.dpop.fetchWithDpop(`${world.api}/api/users`, {
        accessToken: String(access_token),
        headers: { Origin: origin() },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), origin());
      const users = (await response.json()) as { id: string }[];
      assert.deepEqual(
        users.map((user) => user.id),
        ['alice', 'bob'],
      );
    });

    it(`${name}: a code exchange without a DPoP proof is refused, never answered with bearer tokens`, async () => {
      // No dpop_jkt either: the client's registration alone (dpop_bound_access_tokens) refuses it.
      const authorized = await signIn(null);
      const response = await fetch(`${world.issuer}/token`, {
        method: 'POST',
        body: codeExchangeForm(authorized, { resource: world.resource }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, 400);
      assert.equal(body['access_token'], undefined);
      // oidc-provider says why ("DPoP proof JWT not provided") only in its log.
      assert.equal(body['error'], 'invalid_grant', JSON.stringify(body));
    });
  }

  it('the API admits no other origin', async () => {
    const dpop = await DpopClient.create();
    const { response } = await dpop.fetchWithDpop(`${world.api}/api/users`, {
      headers: { Origin: 'http://localhost:4999' },
    });
    await response.body?.cancel();
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});
