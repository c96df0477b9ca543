import { TestBed } from '@angular/core/testing';

import { DEFAULT_RESOURCE, Session } from './session';
import { SESSION_STORE_NAME } from './shared-sessions';
import {
  authTestbed,
  formOf,
  settle,
  TEST_RESOURCE,
  TOKEN_REQUEST,
  waitFor,
} from './testing/auth-testbed';

/**
 * One change of the session at a time across tabs, with the browser's real Web Locks,
 * IndexedDB and BroadcastChannel. "Another tab" is what another tab would do — hold the same
 * lock, store the shared session, post on the same channel — from this test, step by step.
 */
describe('Auth across tabs (real Web Locks, IndexedDB and BroadcastChannel)', () => {
  const t = authTestbed();

  const token = (accessToken: string) => ({
    accessToken,
    issuedAt: Date.now(),
    expiresAt: Date.now() + 300_000,
  });

  /** The stored session, changed as another tab's refresh would (one revision later). */
  async function changedByOtherTab(change: (session: Session) => void): Promise<Session> {
    const session = (await t.storedSession())!;
    change(session);
    session.revision += 1;
    await t.storeAsOtherTab(session);
    return session;
  }

  /** Holds the session lock as another tab's refresh would; resolves to its release. */
  function holdLock(): Promise<() => void> {
    const name = TestBed.inject(SESSION_STORE_NAME);
    return new Promise((acquired) => {
      void navigator.locks.request(
        `${name}.lock`,
        () => new Promise<void>((release) => acquired(release)),
      );
    });
  }

  it('waits while another tab refreshes, then takes the token it stored: no second refresh request', async () => {
    await t.signIn();
    const release = await holdLock();
    const api = t.auth.accessToken(TEST_RESOURCE); // no API token yet: a refresh is due

    await settle(50);
    t.backend.expectNone(TOKEN_REQUEST); // waiting for the other tab
    await changedByOtherTab((session) => {
      session.refreshToken = 'refresh-2';
      session.tokens[TEST_RESOURCE] = token('api-from-other-tab');
    });
    release();

    expect(await api).toBe('api-from-other-tab');
    await settle();
    t.backend.expectNone(TOKEN_REQUEST);
  });

  it('never sends a refresh token another tab rotated: its refresh uses the newest one', async () => {
    await t.signIn();
    const release = await holdLock();
    const api = t.auth.accessToken(TEST_RESOURCE);
    // The other tab refreshed the userinfo token, and the server rotated the refresh token.
    await changedByOtherTab((session) => {
      session.refreshToken = 'refresh-2';
      session.tokens[DEFAULT_RESOURCE] = token('userinfo-2');
    });
    release();

    const request = await t.tokenRequest();
    expect(formOf(request).get('refresh_token')).toBe('refresh-2');
    request.flush({
      access_token: 'api-token',
      token_type: 'DPoP',
      expires_in: 300,
      refresh_token: 'refresh-3',
    });
    expect(await api).toBe('api-token');
    const stored = (await t.storedSession())!;
    expect(stored.refreshToken).toBe('refresh-3');
    expect(stored.tokens[DEFAULT_RESOURCE].accessToken).toBe('userinfo-2'); // theirs, kept
    expect(stored.tokens[TEST_RESOURCE].accessToken).toBe('api-token');
  });

  it('takes the session another tab stored when it says so, without asking the server', async () => {
    await t.signIn();
    await changedByOtherTab((session) => {
      session.user = { ...session.user, name: 'Alice, renamed in another tab' };
      session.tokens[TEST_RESOURCE] = token('api-from-other-tab');
    });
    await waitFor(() => t.auth.displayName() === 'Alice, renamed in another tab');
    expect(await t.auth.accessToken(TEST_RESOURCE)).toBe('api-from-other-tab');
    await settle();
    t.backend.expectNone(TOKEN_REQUEST);
  });

  it('never goes back to an older state of the session that arrives late', async () => {
    await t.signIn();
    const api = t.auth.accessToken(TEST_RESOURCE);
    (await t.tokenRequest()).flush({
      access_token: 'api-token',
      token_type: 'DPoP',
      refresh_token: 'refresh-2',
    });
    await api;
    // A tab that still holds the sign-in's first state announces it (revision 0 < 1).
    const stale = { ...(await t.storedSession())!, revision: 0, refreshToken: 'refresh-1' };
    await t.storeAsOtherTab(stale);
    await settle(50);
    expect(await t.auth.accessToken(TEST_RESOURCE)).toBe('api-token');
    t.backend.expectNone(TOKEN_REQUEST);
  });

  it('signs out when another tab signs out', async () => {
    await t.signIn();
    await t.storeAsOtherTab(null);
    await waitFor(() => t.auth.status() === 'signed-out');
    expect(await t.auth.accessToken()).toBeNull();
  });

  it('tells the other tabs when it signs out', async () => {
    await t.signIn();
    const otherTab = new BroadcastChannel(TestBed.inject(SESSION_STORE_NAME));
    let told = false;
    otherTab.onmessage = () => (told = true);
    try {
      await t.signOut();
      await waitFor(() => told);
      expect(await t.storedSession()).toBeNull();
    } finally {
      otherTab.close();
    }
  });

  it('ends its session, with a notice, when the stored one vanished while it waited (signed out elsewhere)', async () => {
    await t.signIn();
    const release = await holdLock();
    const api = t.auth.accessToken(TEST_RESOURCE);
    await t.storeAsOtherTab(null);
    release();

    await expectAsync(api).toBeRejectedWith(jasmine.objectContaining({ code: 'session_expired' }));
    expect(t.auth.status()).toBe('signed-out');
    expect(t.auth.notice()).toContain('another tab');
    await settle();
    t.backend.expectNone(TOKEN_REQUEST);
  });
});
