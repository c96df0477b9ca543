/**
 * Who may push whom out of the authorization server's store (store-entries.ts, store-kinds.ts):
 * an account only ever evicts its own sessions, grants and tokens; a full store refuses rather
 * than evict another account's live entry; authorization codes and visitors' sessions have
 * bounded pools shared out by account and by address; the address is kept across a restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { storeFixture } from './testing/store-fixture.ts';

describe("the store's shares", () => {
  const stores = storeFixture();

  it('an account beyond its share (a tenth, at least 20) evicts its own entries: expired ones among its oldest, then spent, then access tokens, then its least recently written; never another account’s', async () => {
    const { store, clock } = stores.withRequests({ maxEntries: 200 }); // a share of 20
    const sessions = new store.Adapter('Session');
    const grants = new store.Adapter('Grant');
    const refreshTokens = new store.Adapter('RefreshToken');
    const accessTokens = new store.Adapter('AccessToken');
    await sessions.upsert('alice-session', { uid: 'a', accountId: 'alice' }, 86_400);
    await refreshTokens.upsert('alice-rt', { accountId: 'alice', grantId: 'ga' }, 86_400);

    await accessTokens.upsert('bob-expiring', { accountId: 'bob' }, 1);
    await sessions.upsert('bob-session', { uid: 'b', accountId: 'bob' }, 86_400);
    await grants.upsert('bob-grant', { accountId: 'bob' }, 86_400);
    await refreshTokens.upsert('bob-spent', { accountId: 'bob', grantId: 'gb' }, 86_400);
    await refreshTokens.consume('bob-spent');
    for (let i = 0; i < 14; i++) await accessTokens.upsert(`bob-at${i}`, { accountId: 'bob' }, 300);
    await refreshTokens.upsert('bob-rt', { accountId: 'bob', grantId: 'gb' }, 86_400);
    await refreshTokens.upsert('bob-rt-2', { accountId: 'bob', grantId: 'gb' }, 86_400);
    clock.advance(2); // bob-expiring expired; bob holds 20 entries, one of them spent

    const bobsFate = async () => ({
      expiring: await accessTokens.find('bob-expiring'),
      spent: (await refreshTokens.find('bob-spent'))?.['consumed'] !== undefined,
      firstAccessToken: (await accessTokens.find('bob-at0')) !== undefined,
      session: (await sessions.find('bob-session')) !== undefined,
    });
    await refreshTokens.upsert('bob-new-1', { accountId: 'bob' }, 86_400); // the expired one goes
    assert.deepEqual(await bobsFate(), {
      expiring: undefined,
      spent: true,
      firstAccessToken: true,
      session: true,
    });
    await refreshTokens.upsert('bob-new-2', { accountId: 'bob' }, 86_400); // the spent one (a marker stays)
    await refreshTokens.upsert('bob-new-3', { accountId: 'bob' }, 86_400); // the oldest access token
    assert.deepEqual(await bobsFate(), {
      expiring: undefined,
      spent: true, // found as its marker
      firstAccessToken: false,
      session: true,
    });
    assert.ok(await accessTokens.find('bob-at1'));
    for (let i = 1; i < 14; i++)
      await refreshTokens.upsert(`bob-more${i}`, { accountId: 'bob' }, 86_400);
    assert.equal(await accessTokens.find('bob-at13'), undefined, 'every access token went first');
    assert.ok(await sessions.find('bob-session'), 'then the least recently written…');
    await refreshTokens.upsert('bob-more14', { accountId: 'bob' }, 86_400);
    assert.equal(await sessions.find('bob-session'), undefined, '…which is his session');

    assert.ok(await sessions.find('alice-session'), "alice's entries were never touched");
    assert.ok(await refreshTokens.find('alice-rt'));
    await store.close();
  });

  it("a full store drops anyone's expired and spent entries, then refuses (503, Retry-After when its earliest entry expires): another account's live session, grant or token is never evicted", async () => {
    // 40 entries at most, one account 20: three accounts can fill it without passing their share.
    const { store, clock, retryAfter } = stores.withRequests({ maxEntries: 40 });
    const tokens = new store.Adapter('RefreshToken');
    const sessions = new store.Adapter('Session');
    await tokens.upsert('carol-spent', { accountId: 'carol', grantId: 'gc' }, 3600);
    await tokens.consume('carol-spent');
    await tokens.upsert('carol-expiring', { accountId: 'carol' }, 5);
    for (let i = 0; i < 18; i++) await tokens.upsert(`alice-${i}`, { accountId: 'alice' }, 3600);
    await sessions.upsert('alice-session', { uid: 'a', accountId: 'alice' }, 7200);
    for (let i = 0; i < 19; i++) await tokens.upsert(`bob-${i}`, { accountId: 'bob' }, 1800 + i);
    clock.advance(10);

    await tokens.upsert('dave-1', { accountId: 'dave' }, 3600); // carol's expired token goes
    await tokens.upsert('dave-2', { accountId: 'dave' }, 3600); // carol's spent one (its marker stays)
    assert.equal(await tokens.find('carol-expiring'), undefined);
    assert.ok((await tokens.find('carol-spent'))?.['consumed']);
    await assert.rejects(tokens.upsert('dave-3', { accountId: 'dave' }, 3600), {
      name: 'StoreRefusal',
      status: 503,
      error_description:
        'The authorization server holds as many sessions, grants and tokens as it can (40): wait 30 minutes, then try again.',
    });
    assert.deepEqual(retryAfter, [String(1800 - 10)], "when bob's first token expires");
    assert.ok(await sessions.find('alice-session'));
    for (let i = 0; i < 18; i++) assert.ok(await tokens.find(`alice-${i}`));
    for (let i = 0; i < 19; i++) assert.ok(await tokens.find(`bob-${i}`));
    await store.close();
  });

  it('authorization codes: one account holds at most a tenth of their pool (429, "This account…"), and another account is served', async () => {
    const { store, retryAfter } = stores.withRequests({ maxShortLived: 50 });
    const codes = new store.Adapter('AuthorizationCode');
    for (let i = 0; i < 5; i++)
      await codes.upsert(`bob-${i}`, { accountId: 'bob', grantId: 'g' }, 60);
    await assert.rejects(codes.upsert('bob-5', { accountId: 'bob', grantId: 'g' }, 60), {
      status: 429,
      retryAfter: 60,
      error_description:
        'This account has used its share of authorization codes (5 at a time): wait 60 seconds, then try again.',
    });
    assert.deepEqual(retryAfter, ['60']);
    await codes.consume('bob-0'); // an update: never refused
    await codes.upsert('alice-0', { accountId: 'alice', grantId: 'h' }, 60);
    await store.close();
  });

  it("a visitor's session (no account) counts against its address, in a pool of its own: a flood of them pushes out no signed-in session", async () => {
    const { store, from } = stores.withRequests({ maxEntries: 10, maxShortLived: 50 });
    const sessions = new store.Adapter('Session');
    await sessions.upsert('alice', { uid: 'a', accountId: 'alice' }, 86_400);
    from('198.51.100.7');
    for (let i = 0; i < 5; i++) await sessions.upsert(`visitor-${i}`, { uid: `v${i}` }, 86_400);
    await assert.rejects(sessions.upsert('visitor-5', { uid: 'v5' }, 86_400), {
      status: 429,
      error_description:
        /^Your address has used its share of sessions of visitors who are not signed in \(5 at a time\)/,
    });
    assert.ok(await sessions.find('alice'));
    // Signing in makes a visitor's session an account's: it moves to the accounts' pool.
    await sessions.upsert('visitor-0', { uid: 'v0', accountId: 'bob' }, 86_400);
    await sessions.upsert('visitor-5', { uid: 'v5' }, 86_400);
    await store.close();
  });

  it('an entry restored at start still counts against the address that made it', async () => {
    const dataDir = stores.folder('addresses');
    const first = stores.withRequests({ maxShortLived: 50 }, dataDir);
    first.from('203.0.113.5');
    const pages = new first.store.Adapter('Interaction');
    for (let i = 0; i < 5; i++) await pages.upsert(`page-${i}`, {}, 900);
    await first.store.close();

    const restarted = stores.withRequests({ maxShortLived: 50 }, dataDir);
    restarted.from('203.0.113.5');
    const again = new restarted.store.Adapter('Interaction');
    await assert.rejects(again.upsert('page-5', {}, 900), { status: 429 });
    restarted.from('203.0.113.6');
    await again.upsert('page-5', {}, 900);
    await restarted.store.close();
  });
});
