/**
 * Refresh-token rotation (RFC 9700 §4.14.2), as Okta and Auth0 do it for single-page apps: on by
 * default, every refresh answers with a new refresh token and the old one is spent; a spent one
 * coming back revokes the grant. AS_ROTATE_REFRESH_TOKENS=off keeps a token usable until it
 * expires (oidc-provider's default for DPoP-bound tokens).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readConfig } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { refreshTokens, signIn, type Session } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';

/** The refresh token grant with a given refresh token and alice's key. */
const refreshWith = (issuer: string, alice: Session, refreshToken: string, dpop = alice.dpop) =>
  refreshTokens({ issuer, dpop, refreshToken });

describe('refresh tokens rotated on every use (the default)', () => {
  const as = authorizationServerForSuite();

  it('answers every refresh with a new refresh token, bound to the same key', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const seen = new Set([alice.refreshToken]);
    for (let round = 0; round < 3; round++) {
      const result = await alice.refresh();
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.ok(!seen.has(alice.refreshToken), `round ${round}: a new refresh token`);
      seen.add(alice.refreshToken);
    }
    const stolen = await refreshWith(
      as.issuer,
      alice,
      alice.refreshToken,
      await DpopClient.create(),
    );
    assert.equal(stolen.body['error'], 'invalid_grant', 'still DPoP-bound to the key');
  });

  it('refuses a rotated-out refresh token and revokes the grant: the newest token and its access token stop working too', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const first = alice.refreshToken;
    const refreshed = await alice.refresh();
    assert.equal(refreshed.status, 200);
    const accessToken = refreshed.body['access_token'] as string;

    const reused = await refreshWith(as.issuer, alice, first);
    assert.equal(reused.status, 400);
    assert.equal(reused.body['error'], 'invalid_grant');

    const newest = await alice.refresh();
    assert.equal(newest.status, 400, 'the whole grant is revoked');
    assert.equal(newest.body['error'], 'invalid_grant');
    const { response } = await alice.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
    assert.equal(response.status, 401, "the grant's access token is revoked with it");
  });

  it('a rotated-out token sent without its key is refused and revokes nothing: a thief cannot sign the user out', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const first = alice.refreshToken;
    assert.equal((await alice.refresh()).status, 200);

    const thief = await refreshWith(as.issuer, alice, first, await DpopClient.create());
    assert.equal(thief.body['error'], 'invalid_grant');
    assert.equal((await alice.refresh()).status, 200, 'the newest token still works');
  });
});

describe('AS_ROTATE_REFRESH_TOKENS=off', () => {
  const as = authorizationServerForSuite({
    asRotateRefreshTokens: readConfig({ AS_ROTATE_REFRESH_TOKENS: 'off' }).asRotateRefreshTokens,
  });

  it('keeps the same refresh token working, use after use', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const token = alice.refreshToken;
    for (let round = 0; round < 3; round++) {
      const result = await refreshWith(as.issuer, alice, token);
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(result.body['refresh_token'], token, `round ${round}: the same refresh token`);
    }
  });
});
