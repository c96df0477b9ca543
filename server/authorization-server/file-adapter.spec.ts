/**
 * The file-backed store for oidc-provider (file-adapter.ts): oidc-provider's adapter
 * semantics, persistence to one 0600 file of appended changes, what happens to a damaged
 * file, and the limits that keep what anyone can create from pushing out the users' sessions.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { STORE_FILE_NAME } from './file-adapter.ts';
import { fakeClock } from './testing/fake-clock.ts';
import { linesOf, storeFixture } from './testing/store-fixture.ts';

describe('file adapter', () => {
  const { open, reopen, withRequests, folder } = storeFixture();

  it('finds what was upserted, as a copy the caller cannot change behind its back', async () => {
    const { store } = open();
    const sessions = new store.Adapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'alice', nested: { a: 1 } }, 60);

    const found = await sessions.find('s1');
    assert.deepEqual(found, { uid: 'u1', accountId: 'alice', nested: { a: 1 } });
    (found?.['nested'] as { a: number }).a = 2;
    assert.deepEqual((await sessions.find('s1'))?.['nested'], { a: 1 });

    assert.equal(await sessions.find('other'), undefined);
    assert.equal(await new store.Adapter('Grant').find('s1'), undefined, 'models are separate');
    await store.close();
  });

  it('forgets an entry once its lifetime plus the clock tolerance has passed, keeps one without a lifetime', async () => {
    const clock = fakeClock();
    const { store } = open({ now: clock.now, clockTolerance: 5 });
    const codes = new store.Adapter('AuthorizationCode');
    await codes.upsert('short', { grantId: 'g' }, 10);
    await codes.upsert('forever', {}, undefined);

    clock.advance(14.9);
    assert.ok(await codes.find('short'), 'still within 10 s + 5 s tolerance');
    clock.advance(0.1);
    assert.equal(await codes.find('short'), undefined);
    clock.advance(365 * 24 * 3600);
    assert.ok(await codes.find('forever'));
    await store.close();
  });

  it("adds oidc-provider's default clock tolerance (15 s) by default, as its memory adapter does", async () => {
    const clock = fakeClock();
    const { store } = open({ now: clock.now });
    const tokens = new store.Adapter('AccessToken');
    await tokens.upsert('t', {}, 60);
    clock.advance(74);
    assert.ok(await tokens.find('t'));
    clock.advance(1);
    assert.equal(await tokens.find('t'), undefined);
    await store.close();
  });

  it('consume marks the entry consumed (epoch seconds), and that survives a restart', async () => {
    const clock = fakeClock();
    const { store, dataDir } = open({ now: clock.now });
    const refreshTokens = new store.Adapter('RefreshToken');
    await refreshTokens.upsert('rt', { grantId: 'g', jkt: 'thumbprint' }, 3600);
    assert.equal((await refreshTokens.find('rt'))?.['consumed'], undefined);

    await refreshTokens.consume('rt');
    await refreshTokens.consume('missing'); // nothing to consume: no error
    const consumed = (await refreshTokens.find('rt'))?.['consumed'];
    assert.equal(consumed, clock.now() / 1000);
    await store.close();

    const restarted = reopen(dataDir, { now: clock.now });
    const found = await new restarted.store.Adapter('RefreshToken').find('rt');
    assert.deepEqual(found, { grantId: 'g', jkt: 'thumbprint', consumed });
    await restarted.store.close();
  });

  it('destroy removes one entry', async () => {
    const { store } = open();
    const grants = new store.Adapter('Grant');
    await grants.upsert('g1', { accountId: 'alice' }, 60);
    await grants.upsert('g2', { accountId: 'bob' }, 60);
    await grants.destroy('g1');
    await grants.destroy('never-there');
    assert.equal(await grants.find('g1'), undefined);
    assert.ok(await grants.find('g2'));
    await store.close();
  });

  it("revokeByGrantId removes every token of the grant whichever model asks, and only that grant's", async () => {
    const { store, dataDir } = open();
    const accessTokens = new store.Adapter('AccessToken');
    const refreshTokens = new store.Adapter('RefreshToken');
    const codes = new store.Adapter('AuthorizationCode');
    const grants = new store.Adapter('Grant');
    await accessTokens.upsert('at1', { grantId: 'g1' }, 60);
    await accessTokens.upsert('at2', { grantId: 'g1' }, 60);
    await refreshTokens.upsert('rt1', { grantId: 'g1' }, 600);
    await codes.upsert('code1', { grantId: 'g1' }, 60);
    await refreshTokens.upsert('rt-other', { grantId: 'g2' }, 600);
    await grants.upsert('g1', { accountId: 'alice' }, 600);

    await refreshTokens.revokeByGrantId('g1');
    await refreshTokens.revokeByGrantId('unknown');

    assert.equal(await accessTokens.find('at1'), undefined);
    assert.equal(await accessTokens.find('at2'), undefined);
    assert.equal(await refreshTokens.find('rt1'), undefined);
    assert.equal(await codes.find('code1'), undefined);
    assert.ok(await refreshTokens.find('rt-other'), 'another grant keeps its tokens');
    // oidc-provider destroys the Grant itself through Grant's adapter (lib/helpers/revoke.js).
    assert.ok(await grants.find('g1'));
    await store.close();

    const restarted = reopen(dataDir);
    assert.equal(await new restarted.store.Adapter('RefreshToken').find('rt1'), undefined);
    assert.ok(await new restarted.store.Adapter('RefreshToken').find('rt-other'));
    await restarted.store.close();
  });

  it('findByUid finds the session with that uid, and forgets an old uid or a destroyed session', async () => {
    const { store, dataDir } = open();
    const sessions = new store.Adapter('Session');
    await sessions.upsert('s1', { uid: 'uid-1', accountId: 'alice' }, 600);
    assert.deepEqual(await sessions.findByUid('uid-1'), { uid: 'uid-1', accountId: 'alice' });
    assert.equal(await sessions.findByUid('nobody'), undefined);

    await sessions.upsert('s1', { uid: 'uid-2', accountId: 'alice' }, 600);
    assert.equal(await sessions.findByUid('uid-1'), undefined, 'the old uid is forgotten');
    assert.equal((await sessions.findByUid('uid-2'))?.['accountId'], 'alice');
    await store.flush();

    const restarted = reopen(dataDir);
    const again = new restarted.store.Adapter('Session');
    assert.equal((await again.findByUid('uid-2'))?.['accountId'], 'alice', 'indexes are rebuilt');
    await again.destroy('s1');
    assert.equal(await again.findByUid('uid-2'), undefined);
    await Promise.all([store.close(), restarted.store.close()]);
  });

  it('findByUserCode finds a device code by its user code', async () => {
    const { store } = open();
    const deviceCodes = new store.Adapter('DeviceCode');
    await deviceCodes.upsert('dc', { userCode: 'ABCD-EFGH', grantId: 'g' }, 600);
    assert.equal((await deviceCodes.findByUserCode('ABCD-EFGH'))?.['grantId'], 'g');
    assert.equal(await deviceCodes.findByUserCode('ZZZZ-ZZZZ'), undefined);
    await store.close();
  });

  it('writes what anyone can make (a sign-in page) by itself shortly after, 0600, through a temporary file it does not leave behind', async () => {
    const { store, dataDir, file } = open({ writeDelay: 20 });
    await new store.Adapter('Interaction').upsert('i1', { uid: 'u' }, 600);
    await assert.rejects(stat(file), { code: 'ENOENT' }, 'not written synchronously');

    await sleep(300);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(dataDir), [STORE_FILE_NAME]);
    const [header, ...changes] = await linesOf(file);
    assert.equal(header?.['version'], 2);
    assert.deepEqual(
      changes.map((change) => {
        const { model, id, payload } = change['put'] as Record<string, unknown>;
        return { model, id, payload };
      }),
      [{ model: 'Interaction', id: 'i1', payload: { uid: 'u' } }],
    );
    await store.close();
  });

  it('coalesces many changes into one write and saves them all', async () => {
    const { store, dataDir } = open({ writeDelay: 30 });
    const tokens = new store.Adapter('AccessToken');
    await Promise.all(Array.from({ length: 50 }, (_, i) => tokens.upsert(`t${i}`, { i }, 600)));
    await store.close();
    const restarted = reopen(dataDir);
    const again = new restarted.store.Adapter('AccessToken');
    for (let i = 0; i < 50; i++) assert.deepEqual(await again.find(`t${i}`), { i });
    await restarted.store.close();
  });

  it('flush and close write pending changes at once', async () => {
    const { store, dataDir } = open({ writeDelay: 60_000 });
    await new store.Adapter('Grant').upsert('g', { accountId: 'alice' }, 600);
    await store.flush();
    assert.ok(await new (reopen(dataDir).store.Adapter)('Grant').find('g'));

    await new store.Adapter('Grant').destroy('g');
    await store.close();
    assert.equal(await new (reopen(dataDir).store.Adapter)('Grant').find('g'), undefined);
  });

  it('shares nothing between two stores, even on the same folder: only the file carries state', async () => {
    const first = open();
    const second = reopen(first.dataDir);
    await new first.store.Adapter('Session').upsert('s', { uid: 'u' }, 600);
    assert.equal(await new second.store.Adapter('Session').find('s'), undefined);
    await Promise.all([first.store.close(), second.store.close()]);
  });

  it('drops expired entries when it loads the file, and from the file when it rewrites it', async () => {
    const clock = fakeClock();
    const options = { now: clock.now, clockTolerance: 0, compactionSlack: 0 };
    const { store, dataDir } = open(options);
    const tokens = new store.Adapter('AccessToken');
    await tokens.upsert('short', {}, 60);
    await tokens.upsert('long', {}, 3600);
    await store.close();

    clock.advance(120);
    const restarted = reopen(dataDir, options);
    const again = new restarted.store.Adapter('AccessToken');
    assert.equal(await again.find('short'), undefined);
    assert.ok(await again.find('long'));
    await again.destroy('long'); // the file now holds more than twice what is live: rewritten
    await restarted.store.close();
    assert.deepEqual((await linesOf(restarted.file)).slice(1), []);
  });

  it('sweeps expired entries out of memory periodically, and out of the file once it is mostly expired', async () => {
    const clock = fakeClock();
    const { store, file } = open({
      now: clock.now,
      clockTolerance: 0,
      sweepInterval: 10,
      compactionSlack: 0,
    });
    await new store.Adapter('Interaction').upsert('i', {}, 60);
    await store.flush();
    assert.match(await readFile(file, 'utf8'), /"Interaction"/);

    clock.advance(61);
    await sleep(300);
    assert.doesNotMatch(await readFile(file, 'utf8'), /"Interaction"/);
    await store.close();
  });

  it('appends a change to the file (the same file, one line longer) however many entries it holds; rewrites it once it is mostly dead weight', async () => {
    const { store, file } = open({ writeDelay: 60_000, compactionSlack: 0 });
    const sessions = new store.Adapter('Session');
    for (let i = 0; i < 1000; i++) await sessions.upsert(`s${i}`, { uid: `u${i}` }, 600);
    await store.flush();
    const before = await stat(file);

    await sessions.upsert('one-more', { uid: 'u' }, 600);
    await store.flush();
    const after = await stat(file);
    assert.equal(after.ino, before.ino, 'not replaced');
    const [last] = (await linesOf(file)).slice(-1);
    assert.equal((last?.['put'] as { id: string }).id, 'one-more');
    assert.equal(after.size - before.size, JSON.stringify(last).length + 1, 'by one line');

    for (let i = 0; i < 1000; i++) await sessions.destroy(`s${i}`);
    await store.flush();
    assert.notEqual((await stat(file)).ino, before.ino, 'rewritten');
    assert.equal((await linesOf(file)).length, 2, 'the header and the one live entry');
    await store.close();
  });

  it('reads a store of the previous format (version 1, one JSON document) and rewrites it at the first change', async () => {
    const dataDir = folder('v1');
    await mkdir(dataDir, { recursive: true });
    const entry = { model: 'Grant', id: 'g', payload: { accountId: 'alice' }, expiresAt: null };
    await writeFile(
      join(dataDir, STORE_FILE_NAME),
      `${JSON.stringify({ version: 1, savedAt: '2030-01-01T00:00:00.000Z', entries: [entry] })}\n`,
    );
    const { store, file, warnings } = open({}, dataDir);
    assert.deepEqual(await new store.Adapter('Grant').find('g'), { accountId: 'alice' });
    await new store.Adapter('Session').upsert('s', { uid: 'u' }, 600);
    await store.close();
    const [header, ...changes] = await linesOf(file);
    assert.equal(header?.['version'], 2);
    assert.deepEqual(changes.map((change) => (change['put'] as { id: string }).id).sort(), [
      'g',
      's',
    ]);
    assert.deepEqual(warnings, []);
  });

  it('anything anyone can create has its own pools: full, a new entry is refused (503, Retry-After) and no session, grant or refresh token is pushed out', async () => {
    const { store, clock, retryAfter, from } = withRequests({
      maxEntries: 5,
      maxShortLived: 20,
    });
    const sessions = new store.Adapter('Session');
    const grants = new store.Adapter('Grant');
    const refreshTokens = new store.Adapter('RefreshToken');
    await sessions.upsert('victim', { uid: 'u', accountId: 'alice' }, 86_400);
    await grants.upsert('g', { accountId: 'alice' }, 86_400);
    await refreshTokens.upsert('rt', { grantId: 'g' }, 86_400);

    const interactions = new store.Adapter('Interaction');
    for (let i = 0; i < 20; i++) {
      from(`198.51.100.${i}`);
      await interactions.upsert(`i${i}`, {}, 900);
    }
    clock.advance(100);
    from('203.0.113.9');
    await assert.rejects(interactions.upsert('one-too-many', {}, 900), {
      name: 'StoreRefusal',
      status: 503,
      error: 'temporarily_unavailable',
      retryAfter: 800,
      error_description:
        'The authorization server holds as many sign-in pages as it can (20): wait 14 minutes, then try again.',
    });
    assert.deepEqual(retryAfter, ['800']);

    await interactions.upsert('i3', { result: 'signed in' }, 800); // an update is never refused
    await new store.Adapter('ReplayDetection').upsert('proof', { iss: 'x' }, 300); // another pool
    assert.ok(await sessions.find('victim'));
    assert.ok(await sessions.findByUid('u'));
    assert.ok(await grants.find('g'));
    assert.ok(await refreshTokens.find('rt'));

    clock.advance(800);
    await interactions.upsert('one-too-many', {}, 900); // room again once the oldest expired
    await store.close();
  });

  it('one client address holds at most a tenth of a pool: beyond it that address gets 429, others are served; an IPv6 /64 counts as one address', async () => {
    const { store, retryAfter, from } = withRequests({ maxShortLived: 50 });
    const interactions = new store.Adapter('Interaction');
    from('2001:db8:1:2::1');
    for (let i = 0; i < 4; i++) await interactions.upsert(`a${i}`, {}, 900);
    from('2001:db8:1:2:ffff::7'); // the same /64
    await interactions.upsert('a4', {}, 900);
    await assert.rejects(interactions.upsert('a5', {}, 900), {
      status: 429,
      retryAfter: 900,
      error_description:
        'Your address has used its share of sign-in pages (5 at a time): wait 15 minutes, then try again.',
    });
    assert.deepEqual(retryAfter, ['900']);

    from('2001:db8:1:3::1'); // another /64
    await interactions.upsert('b0', {}, 900);
    from('::ffff:192.0.2.1');
    await interactions.upsert('c0', {}, 900);
    from('192.0.2.1'); // the same IPv4 address, not mapped
    for (let i = 1; i < 5; i++) await interactions.upsert(`c${i}`, {}, 900);
    await assert.rejects(interactions.upsert('c5', {}, 900), { status: 429 });
    await store.close();
  });

  it("a refused address waits for its own oldest entry, not the pool's, and has room once that one expired", async () => {
    const { store, clock, retryAfter, from } = withRequests({ maxShortLived: 50 });
    const interactions = new store.Adapter('Interaction');
    from('198.51.100.1');
    await interactions.upsert('other', {}, 3600); // the pool's oldest, alive for an hour
    clock.advance(10);
    from('192.0.2.1');
    await interactions.upsert('a0', {}, 300);
    for (let i = 1; i < 5; i++) await interactions.upsert(`a${i}`, {}, 900);
    await assert.rejects(interactions.upsert('a5', {}, 900), { status: 429, retryAfter: 300 });
    assert.deepEqual(retryAfter, ['300']);

    clock.advance(300); // a0 expired; 'other', in front of it in the pool, has not
    await interactions.upsert('a5', {}, 900);
    assert.equal(await interactions.find('a0'), undefined);
    assert.ok(await interactions.find('other'));
    await assert.rejects(interactions.upsert('a6', {}, 900), { status: 429, retryAfter: 600 });
    await store.close();
  });

  for (const [what, content] of [
    ['not JSON', '{"version":1,"entries":[{"model":"Sess'],
    ['another format', '{"version":3,"entries":[]}'],
    ['empty', ''],
  ] as const) {
    it(`starts empty and says so in one line when the file is ${what}, then replaces it`, async () => {
      const dataDir = folder('damaged');
      await mkdir(dataDir, { recursive: true });
      await writeFile(join(dataDir, STORE_FILE_NAME), content);

      const { store, warnings, file } = open({}, dataDir);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /store was unreadable .*; starting with no sessions\.$/);
      assert.ok(warnings[0]?.includes(file), 'names the file');

      const sessions = new store.Adapter('Session');
      assert.equal(await sessions.find('s'), undefined);
      await sessions.upsert('s', { uid: 'u' }, 600);
      await store.close();
      const [header, ...changes] = await linesOf(file);
      assert.equal(header?.['version'], 2, 'a good file replaces the damaged one');
      assert.equal(changes.length, 1);
    });
  }

  it('keeps the good entries of a file with a few malformed lines or a torn last one, and says how many it ignored', async () => {
    const first = open();
    await new first.store.Adapter('Session').upsert('good', { uid: 'u' }, 600);
    await first.store.close();
    await appendFile(
      first.file,
      '{"put":{"model":"Session","id":42}}\nnonsense\n{"put":{"model":"Session","id":"torn","pay',
    );

    const { store, warnings } = reopen(first.dataDir);
    assert.deepEqual(await new store.Adapter('Session').find('good'), { uid: 'u' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /ignored 3 malformed entries/);
    await store.close();
  });
});
