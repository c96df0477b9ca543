import { computed, inject, Injectable } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Dpop } from '@dpop-lab/angular';

import { AuthState } from './auth-state';
import { isNewer, Session } from './session';
import { SessionPersistence } from './session-persistence';
import { SharedSessions } from './shared-sessions';
import { TabSessions } from './tab-sessions';

/** How a session ends under the lock (`SessionKeeper.endUnderLock`). */
export interface EndOptions {
  /** Why, when it ended unasked: shown to the user. */
  notice?: string;
  /** The last step that still needs the key (revoking the refresh token); never throws. */
  beforeKeyDeleted?: (ended: Session) => Promise<void>;
}

/**
 * Keeps `AuthState` and the persisted session in step: restores it after a reload, runs every
 * change under the persistence's lock with the newest session, and follows other tabs.
 */
@Injectable({ providedIn: 'root' })
export class SessionKeeper {
  private readonly state = inject(AuthState);
  private readonly shared = inject(SharedSessions);
  private readonly tabOnly = new TabSessions();
  private readonly dpop = inject(Dpop);
  /** Settles once the DPoP core knows where keys can live (see `restore()`). */
  private storageChecked: Promise<unknown> = Promise.resolve();

  /** Chosen by where the key lives: a memory-only key makes a session that stays in this tab. */
  private readonly persistence = computed<SessionPersistence>(() =>
    this.dpop.storage() === 'memory' ? this.tabOnly : this.shared,
  );

  constructor() {
    this.shared.changes
      .pipe(takeUntilDestroyed())
      .subscribe(() => void this.followOtherTab().catch(() => undefined));
  }

  /**
   * After a reload: takes the stored session if its key is still there. A session whose key is
   * gone (site data cleared, another key stored) is useless: it is deleted quietly, and the next
   * protected page signs in. Resolves then; where keys can live (the DPoP core checks the
   * storage) is found out after that, so a signed-out visitor's first page does not wait for it —
   * every change of the session does (`change()`).
   */
  async restore(): Promise<void> {
    // IndexedDB refused (private mode, blocked site data): no stored session, memory-only keys.
    const session = await this.shared.load().catch(() => null);
    if (session) {
      const usable = await this.stillUsable(session);
      if (usable) {
        this.state.setSession(session);
      } else if (usable === false) {
        await this.shared.withLock(() => this.shared.save(null)).catch(() => undefined);
      }
    }
    // Restoring a DPoP session has read the stored key already, and so learnt where keys live.
    if (this.dpop.storage() === 'unknown') {
      this.storageChecked = this.dpop.restore().catch(() => false);
    }
  }

  /** Whether `session`'s key is still stored; null when that cannot be told now (kept for later). */
  private async stillUsable({ jkt }: Session): Promise<boolean | null> {
    try {
      return await this.dpop.restore(jkt);
    } catch {
      return null; // the key store did not load (offline?)
    }
  }

  /**
   * Runs `operation` under the lock with the newest session (null: signed out, here or in
   * another tab), which becomes this tab's state. Whatever `operation` saves with `save()` is
   * what the next lock holder starts from.
   */
  async change<T>(operation: (newest: Session | null) => Promise<T>): Promise<T> {
    await this.storageChecked;
    const persistence = this.persistence();
    return persistence.withLock(async () => operation(await this.adopt(await persistence.load())));
  }

  /**
   * Ends the session here and in the other tabs: deletes the stored session and what its tokens
   * were bound to (the DPoP key). Resolves to the session that ended — the newest, which another
   * tab may have refreshed since this one looked — or null when there was none.
   */
  end(): Promise<Session | null> {
    return this.change((newest) => this.endUnderLock(newest ?? this.state.session()));
  }

  /**
   * `end()` for a caller that holds the lock already: deletes the stored session (this tab and
   * the others are signed out), then runs `beforeKeyDeleted` — sign-out revokes the refresh token
   * there, with a proof of the key it is bound to — then deletes the DPoP key, and resolves to
   * `ended`. `notice` tells the user why, when the session ended unasked. Call it inside `change()`.
   */
  async endUnderLock(
    ended: Session | null,
    { notice, beforeKeyDeleted }: EndOptions = {},
  ): Promise<Session | null> {
    await this.save(null, notice);
    try {
      if (ended && beforeKeyDeleted) await beforeKeyDeleted(ended);
    } finally {
      await this.dpop.end();
    }
    return ended;
  }

  /**
   * Keeps `session` (null: signed out) for this tab and the others; `notice` as in
   * `AuthState.setSession`. Call it inside `change()`.
   */
  async save(session: Session | null, notice?: string): Promise<void> {
    await this.persistence().save(session);
    this.state.setSession(session, notice);
  }

  /** Another tab changed the session: take its state, unless this tab's session is its own. */
  private async followOtherTab(): Promise<void> {
    if (this.persistence() !== this.shared) return;
    await this.adopt(await this.shared.load());
  }

  /**
   * Makes the stored session this tab's, when it is newer. One of another sign-in (in another
   * tab) must be bound to the key stored now; a signed-out store signs this tab out.
   */
  private async adopt(stored: Session | null): Promise<Session | null> {
    const current = this.state.session();
    if (!stored) {
      if (current) this.state.setSession(null);
      return null;
    }
    if (current && !isNewer(stored, current)) return current;
    const sameSignIn = current?.signedInAt === stored.signedInAt;
    if (!sameSignIn && !(await this.dpop.restore(stored.jkt))) return current;
    this.state.setSession(stored);
    return stored;
  }
}
