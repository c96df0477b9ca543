import { Observable } from 'rxjs';

import type { Session } from './session';

/**
 * Where the session is kept and how tabs agree on it; chosen once per key storage (see
 * `SessionKeeper.persistence`): shared with the other tabs of this origin, or kept in this tab
 * only (the browser refused to store the DPoP key, so a stored session could not outlive it).
 */
export interface SessionPersistence {
  /** The session as it is now (another tab may have changed it); null when signed out. */
  load(): Promise<Session | null>;
  /** Keeps `session` (null: signed out) and tells the other tabs. Call it inside `withLock`. */
  save(session: Session | null): Promise<void>;
  /**
   * Runs `operation` while no other tab (and no other call in this tab) runs one: every change
   * of the session — sign-in, refresh, sign-out — reads the newest state and writes the next one
   * under this lock, so a refresh token is never spent twice.
   */
  withLock<T>(operation: () => Promise<T>): Promise<T>;
  /** Emits when another tab saved: read the session again with `load()`. */
  readonly changes: Observable<void>;
}

/** Runs operations one after another: the lock within one tab. */
export function serialQueue(): <T>(operation: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (operation) => {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  };
}
