import { TestBed } from '@angular/core/testing';
import { deleteDB, openDB } from 'idb';

import { SESSION_STORE_NAME, SharedSessions } from './shared-sessions';
import { testSession } from './testing/test-config';

describe('SharedSessions (real IndexedDB, Web Locks, BroadcastChannel)', () => {
  let name: string;
  let sessions: SharedSessions;
  const session = testSession();

  beforeEach(() => {
    name = `dpop-lab-sessions-${crypto.randomUUID()}`;
    TestBed.configureTestingModule({
      providers: [{ provide: SESSION_STORE_NAME, useValue: name }],
    });
    sessions = TestBed.inject(SharedSessions);
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(name);
  });

  it('keeps the session in IndexedDB; null deletes it', async () => {
    expect(await sessions.load()).toBeNull();
    await sessions.save(session);
    expect(await sessions.load()).toEqual(session);
    await sessions.save(null);
    expect(await sessions.load()).toBeNull();
  });

  it('treats a record that is not a whole session as none', async () => {
    await sessions.save(session);
    const db = await openDB(name);
    await db.put('session', { jkt: 'x', tokens: {} }, 'current');
    db.close();
    expect(await sessions.load()).toBeNull();
  });

  it('tells the other tabs (another instance on the same channel) that it saved', async () => {
    const otherTab = TestBed.runInInjectionContext(() => new SharedSessions());
    const told = new Promise<void>((resolve) => otherTab.changes.subscribe(() => resolve()));
    await sessions.save(session);
    await told;
    expect(await otherTab.load()).toEqual(session);
  });

  it('runs changes one at a time under the lock, across instances', async () => {
    const otherTab = TestBed.runInInjectionContext(() => new SharedSessions());
    const order: string[] = [];
    let release!: () => void;
    const first = sessions.withLock(
      () => new Promise<void>((resolve) => (release = () => (order.push('first'), resolve()))),
    );
    const second = otherTab.withLock(async () => void order.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
