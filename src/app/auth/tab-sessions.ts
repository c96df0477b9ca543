import { NEVER } from 'rxjs';

import type { Session } from './session';
import { serialQueue, SessionPersistence } from './session-persistence';

/**
 * The session of a tab whose DPoP key lives in memory only: kept in memory too (it could not
 * outlive the key) and not shared — other tabs have keys of their own.
 */
export class TabSessions implements SessionPersistence {
  private session: Session | null = null;
  readonly withLock = serialQueue();
  readonly changes = NEVER;

  async load(): Promise<Session | null> {
    return this.session;
  }

  async save(session: Session | null): Promise<void> {
    this.session = session;
  }
}
