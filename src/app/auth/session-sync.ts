import { DestroyRef, inject, Injectable, InjectionToken } from '@angular/core';
import { Observable, Subject } from 'rxjs';
import { Session, SESSION_KEY } from './session-store';

/** What one tab tells the others about the shared session. */
export type SessionMessage = { type: 'session'; session: Session } | { type: 'signed-out' };

/**
 * The name of the cross-tab lock around token refreshes and of the channel that shares their
 * result. Tabs of the same origin that use the same name coordinate; tests give each their own.
 */
export const SESSION_SYNC_NAME = new InjectionToken<string>('SESSION_SYNC_NAME', {
  providedIn: 'root',
  factory: () => SESSION_KEY,
});

/**
 * Keeps the tabs of this origin from stepping on each other's session.
 *
 * - `withLock()` runs a token refresh under a Web Lock (`navigator.locks`), so across all tabs
 *   only one refresh runs at a time. The tab that gets the lock next re-reads the session the
 *   previous one stored, and usually finds the fresh token there: the refresh token is never sent
 *   twice, which a server that rotates refresh tokens would punish by revoking the whole grant
 *   (RFC 9700 §4.14.2).
 * - `publish()` / `messages` share the result through a `BroadcastChannel`: the new session after
 *   a refresh or sign-in, or the sign-out, so idle tabs stay current without asking.
 *
 * Without Web Locks (very old browsers) refreshes are serialized within the tab only; without
 * BroadcastChannel other tabs learn the new session when they next read storage.
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

  /** Tells the other tabs. */
  publish(message: SessionMessage): void {
    this.channel?.postMessage(message);
  }
}
