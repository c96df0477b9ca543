import { DestroyRef, inject, Injectable, InjectionToken } from '@angular/core';
import { IDBPDatabase, openDB } from 'idb';
import { Observable, Subject } from 'rxjs';

import { isSession, Session } from './session';
import { serialQueue, SessionPersistence } from './session-persistence';

/**
 * The name of the session's database, of the cross-tab lock and of the channel. Tabs of the same
 * origin that use the same name share one session; tests give each their own.
 */
export const SESSION_STORE_NAME = new InjectionToken<string>('SESSION_STORE_NAME', {
  providedIn: 'root',
  factory: () => 'dpop-lab.session',
});

const STORE = 'session';
const RECORD = 'current';

/**
 * The session shared by the tabs of this origin:
 * - kept in IndexedDB, so a reload keeps the user signed in. IndexedDB rather than localStorage:
 *   a transaction that starts after another tab's committed sees its data, while Chromium copies
 *   localStorage writes to other tabs' processes asynchronously (the three-tab e2e test caught a
 *   tab reading a refresh token another tab had just spent);
 * - changed under a Web Lock (`navigator.locks`), so across all tabs one change runs at a time;
 * - announced on a `BroadcastChannel`, so idle tabs read the new session without asking the server.
 *
 * Why the refresh token may be kept here: every token is bound to the DPoP key, whose private
 * key is non-extractable. A script that copies this record gets tokens it cannot use elsewhere.
 * (Script running *in* this page can still use the key while the page is open: DPoP limits token
 * theft, not XSS.)
 */
@Injectable({ providedIn: 'root' })
export class SharedSessions implements SessionPersistence {
  private readonly name = inject(SESSION_STORE_NAME);
  private readonly channel =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(this.name);
  private readonly changed = new Subject<void>();
  private readonly inTab = serialQueue();

  readonly changes: Observable<void> = this.changed.asObservable();

  constructor() {
    if (this.channel) this.channel.onmessage = () => this.changed.next();
    inject(DestroyRef).onDestroy(() => {
      this.channel?.close();
      this.changed.complete();
    });
  }

  /** The stored session; null when there is none, or what is stored is not a whole session. */
  async load(): Promise<Session | null> {
    const stored: unknown = await this.run((db) => db.get(STORE, RECORD));
    return isSession(stored) ? stored : null;
  }

  async save(session: Session | null): Promise<void> {
    await this.run(async (db) => {
      if (session) await db.put(STORE, session, RECORD);
      else await db.delete(STORE, RECORD);
    });
    this.channel?.postMessage('changed');
  }

  withLock<T>(operation: () => Promise<T>): Promise<T> {
    // Without Web Locks (very old browsers) changes are serialised within this tab only.
    if (typeof navigator === 'undefined' || !navigator.locks) return this.inTab(operation);
    return navigator.locks.request(`${this.name}.lock`, operation) as Promise<T>;
  }

  private async run<T>(operation: (db: IDBPDatabase) => Promise<T>): Promise<T> {
    // One connection per call, closed at once: an idle open connection would block another
    // tab's upgrade or deleteDatabase.
    const db = await openDB(this.name, 1, {
      upgrade: (database) => database.createObjectStore(STORE),
      blocking: (_current, _next, event) => (event.target as IDBDatabase).close(),
    });
    try {
      return await operation(db);
    } finally {
      db.close();
    }
  }
}
