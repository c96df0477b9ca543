/**
 * What the authorization server answered is on disk (file-adapter.ts): a change to what an
 * account owns is synced before the adapter call resolves; a write that cannot reach the disk, or
 * that the store refuses, undoes every change its request made, so a client can retry with what
 * it holds. (Across a real `kill -9`: crash.spec.ts.)
 */
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { STORE_FILE_NAME } from './file-adapter.ts';
import { storeFixture } from './testing/store-fixture.ts';

describe("the store's durability", () => {
  const stores = storeFixture();

  it('a session, grant, code or token written, consumed, destroyed or revoked is in the file when the call resolves, without a flush', async () => {
    // A write delay of a minute: only a synced write can be in the file at once.
    const { store, dataDir } = stores.open({ writeDelay: 60_000 });
    const reread = async (model: string, id: string) => {
      const again = stores.reopen(dataDir);
      const found = await new again.store.Adapter(model).find(id);
      await again.store.close();
      return found;
    };
    const refreshTokens = new store.Adapter('RefreshToken');
    const sessions = new store.Adapter('Session');
    await sessions.upsert('s', { uid: 'u', accountId: 'alice' }, 600);
    await refreshTokens.upsert('rt', { accountId: 'alice', grantId: 'g' }, 600);
    await new store.Adapter('AuthorizationCode').upsert('code', { accountId: 'alice' }, 60);
    assert.ok(await reread('Session', 's'));
    assert.ok(await reread('AuthorizationCode', 'code'));

    await refreshTokens.consume('rt');
    assert.equal(typeof (await reread('RefreshToken', 'rt'))?.['consumed'], 'number');
    await sessions.destroy('s');
    assert.equal(await reread('Session', 's'), undefined);
    await refreshTokens.revokeByGrantId('g');
    assert.equal(await reread('RefreshToken', 'rt'), undefined);

    await new store.Adapter('Interaction').upsert('page', {}, 600);
    assert.equal(await reread('Interaction', 'page'), undefined, 'what anyone can make waits');
    await store.close();
    assert.ok(await reread('Interaction', 'page'));
  });

  it('many writes at once all reach the file, however they share its syncs', async () => {
    const { store, dataDir } = stores.open();
    const tokens = new store.Adapter('RefreshToken');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => tokens.upsert(`t${i}`, { accountId: 'alice', i }, 600)),
    );
    const again = stores.reopen(dataDir);
    const reread = new again.store.Adapter('RefreshToken');
    for (let i = 0; i < 50; i++) assert.equal((await reread.find(`t${i}`))?.['i'], i);
    await Promise.all([store.close(), again.store.close()]);
  });

  it('a write that cannot reach the disk is refused (503, Retry-After) and undoes its request: the token it consumed is unspent again, what it wrote is gone', async () => {
    const { store, dataDir, retryAfter, warnings, inOneRequest } = stores.withRequests({});
    const tokens = new store.Adapter('RefreshToken');
    await inOneRequest(() => tokens.upsert('old', { accountId: 'alice', grantId: 'g' }, 600));
    // The store file becomes a folder: no write or rename can replace it.
    const file = join(dataDir, STORE_FILE_NAME);
    await rm(file);
    await mkdir(file);

    await assert.rejects(
      inOneRequest(() => tokens.consume('old')),
      {
        name: 'StoreRefusal',
        status: 503,
        error_description:
          'The authorization server could not save this change, so it made none: try again in 5 seconds.',
      },
    );
    assert.deepEqual(retryAfter, ['5']);
    assert.match(warnings[0] ?? '', /could not save the session store/);
    assert.equal((await tokens.find('old'))?.['consumed'], undefined, 'unspent again');

    await rm(file, { recursive: true });
    await inOneRequest(async () => {
      await tokens.consume('old');
      await tokens.upsert('new', { accountId: 'alice', grantId: 'g' }, 600);
    });
    const again = stores.reopen(dataDir);
    assert.equal(
      typeof (await new again.store.Adapter('RefreshToken').find('old'))?.['consumed'],
      'number',
    );
    await Promise.all([store.close(), again.store.close()]);
  });

  it('a refused write undoes its request too: a rotation refused for want of room leaves the old refresh token usable', async () => {
    // 20 entries at most: alice and bob fill it with live tokens.
    const { store, inOneRequest, retryAfter } = stores.withRequests({ maxEntries: 20 });
    const tokens = new store.Adapter('RefreshToken');
    const accessTokens = new store.Adapter('AccessToken');
    for (let i = 0; i < 10; i++) await tokens.upsert(`bob-${i}`, { accountId: 'bob' }, 3600);
    for (let i = 0; i < 10; i++) await tokens.upsert(`alice-${i}`, { accountId: 'alice' }, 3600);

    await inOneRequest(async () => {
      await tokens.consume('alice-0'); // the refresh grant rotates alice-0…
      await tokens.upsert('alice-rotated', { accountId: 'alice' }, 3600); // …its room: alice-0's
      await assert.rejects(accessTokens.upsert('alice-at', { accountId: 'alice' }, 300), {
        status: 503,
      });
    });
    assert.ok(retryAfter.length === 1);
    const old = await tokens.find('alice-0');
    assert.ok(old, 'the old token is back');
    assert.equal(old['consumed'], undefined);
    assert.equal(await tokens.find('alice-rotated'), undefined);
    for (let i = 0; i < 10; i++) assert.ok(await tokens.find(`bob-${i}`));
    await store.close();
  });
});
