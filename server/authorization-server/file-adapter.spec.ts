/**
 * The file-backed store for oidc-provider (file-adapter.ts): oidc-provider's adapter
 * semantics, persistence to one 0600 JSON file, and what happens to a damaged file.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { createFileAdapter, STORE_FILE_NAME, type FileAdapterOptions } from './file-adapter.ts';

/** A clock the test moves by hand. */
function fakeClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

describe('file adapter', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dpop-lab-store-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  let count = 0;
  /** A fresh data folder and a store on it that records its warnings. */
  function open(options: FileAdapterOptions = {}, dataDir = join(root, `case-${++count}`)) {
    const warnings: string[] = [];
    const store = createFileAdapter(dataDir, {
      warn: (message) => warnings.push(message),
      ...options,
    });
    return { store, dataDir, warnings, file: join(dataDir, STORE_FILE_NAME) };
  }

  /** The same data folder read by a new store, as after a restart. */
  function reopen(dataDir: string, options: FileAdapterOptions = {}) {
    return open(options, dataDir);
  }

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

  it('writes the file by itself shortly after a change, 0600, through a temporary file it does not leave behind', async () => {
    const { store, dataDir, file } = open({ writeDelay: 20 });
    await new store.Adapter('Session').upsert('s1', { uid: 'u' }, 600);
    await assert.rejects(stat(file), { code: 'ENOENT' }, 'not written synchronously');

    await sleep(300);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(dataDir), [STORE_FILE_NAME]);
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      version: number;
      entries: { model: string; id: string }[];
    };
    assert.equal(stored.version, 1);
    assert.deepEqual(
      stored.entries.map(({ model, id }) => `${model}:${id}`),
      ['Session:s1'],
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

  it('drops expired entries when it loads the file', async () => {
    const clock = fakeClock();
    const { store, dataDir } = open({ now: clock.now, clockTolerance: 0 });
    const tokens = new store.Adapter('AccessToken');
    await tokens.upsert('short', {}, 60);
    await tokens.upsert('long', {}, 3600);
    await store.close();

    clock.advance(120);
    const restarted = reopen(dataDir, { now: clock.now, clockTolerance: 0 });
    await new restarted.store.Adapter('RefreshToken').upsert('x', {}, 600); // something to write
    await restarted.store.close();
    const ids = (
      JSON.parse(await readFile(restarted.file, 'utf8')) as { entries: { id: string }[] }
    ).entries.map(({ id }) => id);
    assert.deepEqual(ids.sort(), ['long', 'x']);
  });

  it('sweeps expired entries out of the file periodically, without any request', async () => {
    const clock = fakeClock();
    const { store, file } = open({ now: clock.now, clockTolerance: 0, sweepInterval: 10 });
    await new store.Adapter('Interaction').upsert('i', {}, 60);
    await store.flush();
    assert.match(await readFile(file, 'utf8'), /"Interaction"/);

    clock.advance(61);
    await sleep(300);
    assert.doesNotMatch(await readFile(file, 'utf8'), /"Interaction"/);
    await store.close();
  });

  it('keeps at most maxEntries, dropping expired entries first, then the least recently written', async () => {
    const clock = fakeClock();
    const { store } = open({ now: clock.now, clockTolerance: 0, maxEntries: 3 });
    const tokens = new store.Adapter('AccessToken');
    await tokens.upsert('old', {}, 3600);
    await tokens.upsert('expiring', {}, 1);
    await tokens.upsert('middle', {}, 3600);
    clock.advance(2);
    await tokens.upsert('old', { rewritten: true }, 3600); // now the most recent
    await tokens.upsert('new', {}, 3600); // 4 entries: the expired one goes
    assert.equal(await tokens.find('expiring'), undefined);
    assert.ok(await tokens.find('middle'));

    await tokens.upsert('newest', {}, 3600); // 4 live entries: the least recently written goes
    assert.equal(await tokens.find('middle'), undefined);
    for (const id of ['old', 'new', 'newest']) assert.ok(await tokens.find(id), id);
    await store.close();
  });

  for (const [what, content] of [
    ['not JSON', '{"version":1,"entries":[{"model":"Sess'],
    ['another format', '{"version":2,"entries":[]}'],
    ['empty', ''],
  ] as const) {
    it(`starts empty and says so in one line when the file is ${what}, then replaces it`, async () => {
      const dataDir = join(root, `damaged-${++count}`);
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
      assert.equal(
        (JSON.parse(await readFile(file, 'utf8')) as { version: number }).version,
        1,
        'a good file replaces the damaged one',
      );
    });
  }

  it('keeps the good entries of a file with a few malformed ones, and says how many it ignored', async () => {
    const first = open();
    await new first.store.Adapter('Session').upsert('good', { uid: 'u' }, 600);
    await first.store.close();
    const stored = JSON.parse(await readFile(first.file, 'utf8')) as { entries: unknown[] };
    stored.entries.push({ model: 'Session', id: 42 }, 'nonsense');
    await writeFile(first.file, JSON.stringify(stored));

    const { store, warnings } = reopen(first.dataDir);
    assert.deepEqual(await new store.Adapter('Session').find('good'), { uid: 'u' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /ignored 2 malformed entries/);
    await store.close();
  });
});
