import { DestroyRef, inject, Injectable, InjectionToken } from '@angular/core';
import { openDB } from 'idb';
import { Observable, Subject } from 'rxjs';
import { Session, SESSION_KEY } from './session-store';

/** What one tab tells the others about the shared session. */
export type SessionMessage = { type: 'session'; session: Session } | { type: 'signed-out' };

/**
 * The name of the cross-tab lock around token refreshes, of the channel that shares their
 * result, and of the database the lock holder hands its result over in. Tabs of the same origin
 * that use the same name coordinate; tests give each their own.
 */
export const SESSION_SYNC_NAME = new InjectionToken<string>('SESSION_SYNC_NAME', {
  providedIn: 'root',
  factory: () => SESSION_KEY,
});

const STORE = 'hand-over';
const RECORD = 'session';

/**
 * Keeps the tabs of this origin from stepping on each other's session.
 *
 * - `withLock()` runs a token refresh under a Web Lock (`navigator.locks`), so across all tabs
 *   only one refresh runs at a time.
 * - `handOver()` / `takeOver()`: before the lock holder lets go, it writes the session it ended
 *   up with to IndexedDB; the tab next in line reads it there and usually finds the fresh token,
 *   so the refresh token is never sent twice — which a server that rotates refresh tokens would
 *   punish by revoking the whole grant (RFC 9700 §4.14.2). IndexedDB, not localStorage: Chromium
 *   copies localStorage writes to other tabs' processes asynchronously, and the next tab can get
 *   the lock before the write reaches it (the three-tab e2e test caught exactly that). An
 *   IndexedDB transaction that starts after another one committed sees its data.
 * - `publish()` / `messages` share the result through a `BroadcastChannel`: the new session after
 *   a refresh or sign-in, or the sign-out, so idle tabs stay current without asking.
 *
 * Without Web Locks (very old browsers) refreshes are serialized within the tab only; without
 * BroadcastChannel other tabs learn the new session when they next refresh.
 */
@Injectable({ providedIn: 'root' })
export class SessionSync {
  private readonly name = inject(SESSION_SYNC_NAME);
  private readonly channel =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(this.name);
  private readonly received = new Subject<SessionMessage>();

  /** Messages from the other tabs (never this tab's own). */
  readonly messages: Observable<SessionMessage> = this.received.asObservable();

  constructor() {
    if (this.channel) {
      this.channel.onmessage = (event: MessageEvent<SessionMessage>) =>
        this.received.next(event.data);
    }
    inject(DestroyRef).onDestroy(() => {
      this.channel?.close();
      this.received.complete();
    });
  }

  /** Whether refreshes are serialized across tabs (the Web Locks API is there). */
  get crossTab(): boolean {
    return typeof navigator !== 'undefined' && !!navigator.locks;
  }

  /** Runs `operation` while holding the cross-tab refresh lock (exclusive, waits its turn). */
  async withLock<T>(operation: () => Promise<T>): Promise<T> {
    if (!this.crossTab) return operation();
    // The lock is held until `operation` settles; request() resolves to its result.
    return await navigator.locks.request(`${this.name}.refresh`, operation);
  }

  /** Records the shared session (null: signed out) for the tab that takes the lock next. */
  async handOver(session: Session | null): Promise<void> {
    try {
      const db = await this.open();
      try {
        await db.put(STORE, session, RECORD);
      } finally {
        db.close();
      }
    } catch {
      // No IndexedDB: the next tab falls back to localStorage.
    }
  }

  /**
   * The session the last lock holder handed over: a session, null after a sign-out, or undefined
   * when nothing is recorded or IndexedDB cannot be read (then localStorage is all there is).
   */
  async takeOver(): Promise<Session | null | undefined> {
    try {
      const db = await this.open();
      try {
        return (await db.get(STORE, RECORD)) as Session | null | undefined;
      } finally {
        db.close();
      }
    } catch {
      return undefined;
    }
  }

  /** Tells the other tabs. */
  publish(message: SessionMessage): void {
    this.channel?.postMessage(message);
  }

  private open() {
    return openDB(this.name, 1, {
      upgrade: (db) => db.createObjectStore(STORE),
      blocking: (_current, _next, event) => (event.target as IDBDatabase).close(),
    });
  }
}
