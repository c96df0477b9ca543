/**
 * openid-client 6.9 (Node; by the author of oidc-provider and jose, OpenID Certified) against the
 * embedded servers, as docs/other-clients.md tells a team to use it: every DPoP flow works —
 * client credentials, the authorization code with PKCE and `dpop_jkt`, userinfo, a refresh for
 * the API that rotates and stays bound, and a refresh token sent with another key is refused.
 * openid-client answers the nonce challenges itself (one retry after `use_dpop_nonce`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeJwt } from 'jose';
import * as client from 'openid-client';

import { CLI_CLIENT_ID, SERVICE_CLIENT } from '../config.ts';
import { freePort } from '../testing/free-port.ts';
import { signInAt } from '../testing/sign-in.ts';
import { testWorldForSuite } from '../testing/test-world.ts';

/** Each request openid-client made, `POST /token 400`, to see the nonce handshakes. */
type Exchanges = string[];

describe('openid-client 6.9 against the embedded servers', () => {
  const world = testWorldForSuite();

  /** The issuer's configuration for a client; plain http is allowed on loopback only here. */
  async function configure(clientId: string, auth: client.ClientAuth, exchanges: Exchanges) {
    const config = await client.discovery(new URL(world.issuer), clientId, undefined, auth, {
      execute: [client.allowInsecureRequests],
    });
    config[client.customFetch] = async (url, options) => {
      const response = await fetch(url, options as RequestInit);
      exchanges.push(`${options.method} ${new URL(url).pathname} ${response.status}`);
      return response;
    };
    return config;
  }

  const dpopHandle = async (config: client.Configuration) =>
    client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));

  /**
   * Asserts that `accessToken` is the API's, bound to `DPoP`'s key, and that GET /api/apps
   * serves it (openid-client answers the API's nonce challenge).
   */
  async function expectApiServes(
    config: client.Configuration,
    accessToken: string,
    DPoP: client.DPoPHandle,
  ) {
    const claims = decodeJwt(accessToken);
    assert.equal(claims.aud, world.resource);
    assert.deepEqual(claims['cnf'], { jkt: await DPoP.calculateThumbprint() });
    const url = new URL(`${world.api}/api/apps`);
    const apps = await client.fetchProtectedResource(
      config,
      accessToken,
      url,
      'GET',
      undefined,
      undefined,
      {
        DPoP,
      },
    );
    assert.equal(apps.status, 200);
  }

  it('client credentials: a DPoP-bound JWT for the API, which answers it after its own nonce challenge', async () => {
    const exchanges: Exchanges = [];
    const config = await configure(
      SERVICE_CLIENT.id,
      client.ClientSecretBasic(SERVICE_CLIENT.secret),
      exchanges,
    );
    const DPoP = await dpopHandle(config);
    const tokens = await client.clientCredentialsGrant(
      config,
      { scope: SERVICE_CLIENT.scope, resource: world.resource },
      { DPoP },
    );
    assert.equal(tokens.token_type, 'dpop');
    await expectApiServes(config, tokens.access_token, DPoP);
    assert.deepEqual(exchanges.slice(-4), [
      'POST /token 400',
      'POST /token 200',
      'GET /api/apps 401',
      'GET /api/apps 200',
    ]);
  });

  it('code + PKCE + dpop_jkt, userinfo, a refresh for the API rotated and still bound; another key is refused', async () => {
    const exchanges: Exchanges = [];
    const config = await configure(CLI_CLIENT_ID, client.None(), exchanges);
    const DPoP = await dpopHandle(config);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: `http://127.0.0.1:${await freePort()}/callback`,
      // offline_access for a refresh token; oidc-provider keeps it only with prompt=consent.
      scope: 'openid profile offline_access apps:read',
      prompt: 'consent',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      dpop_jkt: await DPoP.calculateThumbprint(),
    });
    const callback = new URL(await signInAt(authorizationUrl.href));

    // Without `resource`, a token for userinfo (an opaque one, which the API would refuse).
    const signedIn = await client.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: codeVerifier, expectedState: state },
      undefined,
      { DPoP },
    );
    assert.equal(signedIn.token_type, 'dpop');
    assert.ok(signedIn.refresh_token);
    const userinfo = await client.fetchUserInfo(
      config,
      signedIn.access_token,
      signedIn.claims()!.sub,
      { DPoP },
    );
    assert.equal(userinfo.sub, 'alice');
    assert.equal(userinfo.name, 'Alice Anders');

    // The API's token: the refresh with `resource` (RFC 8707), rotated and bound to the same key.
    const forApi = await client.refreshTokenGrant(
      config,
      signedIn.refresh_token,
      { resource: world.resource },
      { DPoP },
    );
    assert.equal(forApi.token_type, 'dpop');
    assert.ok(forApi.refresh_token && forApi.refresh_token !== signedIn.refresh_token, 'rotated');
    await expectApiServes(config, forApi.access_token, DPoP);

    // The refresh token is bound to the key (RFC 9449 §5): another key gets invalid_grant…
    await assert.rejects(
      client.refreshTokenGrant(
        config,
        forApi.refresh_token,
        { resource: world.resource },
        { DPoP: await dpopHandle(config) },
      ),
      (error: unknown) => {
        assert.ok(error instanceof client.ResponseBodyError);
        assert.equal(error.error, 'invalid_grant');
        return true;
      },
    );
    // …and the refused attempt did not spend it: its own key still refreshes.
    const again = await client.refreshTokenGrant(
      config,
      forApi.refresh_token,
      { resource: world.resource },
      { DPoP },
    );
    assert.equal(again.token_type, 'dpop');
  });
});
