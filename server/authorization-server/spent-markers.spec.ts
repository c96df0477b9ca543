/**
 * Reuse detection outlives eviction (spent-marker.ts): a rotated-out refresh token pushed out of
 * a full share leaves a marker until it would have expired, and that marker, replayed with the
 * token's key, still revokes the grant — against the real server, and in the store itself.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { DpopClient } from '../testing/dpop-client.ts';
import { refreshTokens, signIn } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';
import { STORE_FILE_NAME } from './file-adapter.ts';
import type { Entry } from './store-entry.ts';
import { linesOf, storeFixture } from './testing/store-fixture.ts';

describe('a spent refresh token evicted from the store', () => {
  const stores = storeFixture();

  it('leaves a marker with what reuse detection needs, which a restart keeps, revokeByGrantId removes, and which expires with the token', async () => {
    const { store, dataDir, clock } = stores.withRequests({ maxEntries: 200 }); // a share of 20
    const tokens = new store.Adapter('RefreshToken');
    const payload = {
      accountId: 'alice',
      grantId: 'g',
      clientId: 'dpop-lab-spa',
      jkt: 'thumbprint',
      scope: 'openid',
      nonce: 'n'.repeat(43),
      claims: { rejected: [] },
      resource: 'http://localhost:3001/api',
      kind: 'RefreshToken',
      jti: 'spent',
      iat: 1,
      exp: 2,
    };
    await tokens.upsert('spent', payload, 3600);
    await tokens.consume('spent');
    for (let i = 0; i < 20; i++)
      await tokens.upsert(`t${i}`, { accountId: 'alice', grantId: 'h' }, 7200);

    const marker = await tokens.find('spent');
    const { accountId, grantId, clientId, jkt, scope, kind, jti, iat, exp } = payload;
    assert.deepEqual(
      marker,
      {
        accountId,
        grantId,
        clientId,
        jkt,
        scope,
        kind,
        jti,
        iat,
        exp,
        consumed: clock.now() / 1000,
      },
      'without its nonce, claims and resource',
    );
    await store.close();

    const restarted = stores.withRequests({ maxEntries: 200 }, dataDir);
    const again = new restarted.store.Adapter('RefreshToken');
    assert.deepEqual(await again.find('spent'), marker, 'kept across a restart');
    restarted.clock.advance(3600);
    assert.equal(await again.find('spent'), undefined, 'gone when the token would have expired');
    await restarted.store.close();

    const third = stores.withRequests({ maxEntries: 200 }, dataDir);
    const revoked = new third.store.Adapter('RefreshToken');
    assert.ok(await revoked.find('spent'));
    await revoked.revokeByGrantId('g');
    assert.equal(await revoked.find('spent'), undefined);
    await third.store.close();
  });

  it('an account past its share of markers drops its own oldest, never another account’s', async () => {
    const { store } = stores.withRequests({ maxEntries: 200 }); // 20 markers per account
    const tokens = new store.Adapter('RefreshToken');
    const spend = async (id: string, accountId: string) => {
      await tokens.upsert(id, { accountId, grantId: accountId }, 3600);
      await tokens.consume(id);
    };
    await spend('alice-spent', 'alice');
    for (let i = 0; i < 20; i++) await tokens.upsert(`alice-${i}`, { accountId: 'alice' }, 3600);
    assert.ok(await tokens.find('alice-spent'), "alice's marker");
    // bob spends 60 tokens: 20 stay live, 40 become markers, of which he may keep 20.
    for (let i = 0; i < 60; i++) await spend(`bob-${i}`, 'bob');
    assert.equal(await tokens.find('bob-0'), undefined, "bob's oldest marker went");
    assert.ok(await tokens.find('bob-20'), "bob's newest markers stay");
    assert.ok(await tokens.find('alice-spent'), "alice's marker stays");
    await store.close();
  });
});

describe('reuse detection after eviction, on the real server', () => {
  // A share of 20 per account: alice's rotated-out tokens are pushed out after about 16 refreshes.
  const as = authorizationServerForSuite({ asStoreMaxEntries: 200 });

  it('a rotated-out refresh token replayed with its key after eviction revokes the grant; replayed without the key it revokes nothing', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const first = alice.refreshToken;
    for (let i = 0; i < 30; i++) {
      const refreshed = await alice.refresh({ resource: as.config.apiResource });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    }

    const lines = await linesOf(join(as.config.dataDir, STORE_FILE_NAME));
    const last = lines.filter((line) => (line['put'] as Entry | undefined)?.id === first).pop();
    assert.equal(
      (last?.['put'] as Entry | undefined)?.marker,
      true,
      'evicted: only its marker is left',
    );

    const thief = await refreshTokens({
      issuer: as.issuer,
      dpop: await DpopClient.create(),
      refreshToken: first,
    });
    assert.equal(thief.body['error'], 'invalid_grant');
    assert.equal((await alice.refresh()).status, 200, 'without the key: nothing revoked');

    const replayed = await refreshTokens({
      issuer: as.issuer,
      dpop: alice.dpop,
      refreshToken: first,
    });
    assert.equal(replayed.status, 400);
    assert.equal(replayed.body['error'], 'invalid_grant');
    const newest = await alice.refresh();
    assert.equal(newest.status, 400, 'the grant is revoked: the newest token stops working');
    assert.equal(newest.body['error'], 'invalid_grant');
  });
});
