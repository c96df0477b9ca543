import { HttpParams } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { deleteDB } from 'idb';
import { DpopKeyStore } from '../dpop';
import { Auth } from './auth';
import {
  DISCOVERY_URL,
  IdTokenSigner,
  nextRequest,
  provideAuthTesting,
  settle,
  TEST_ISSUER,
  TEST_METADATA,
  TEST_RESOURCE,
} from './auth-testing';
import { PENDING_SIGN_IN_KEY } from './pending-sign-in';
import { DEFAULT_RESOURCE, Session, SESSION_KEY } from './session-store';
import { SessionMessage, SessionSync } from './session-sync';

const TOKEN_REQUEST = { method: 'POST', url: TEST_METADATA.token_endpoint };

/**
 * One refresh at a time across tabs, with the browser's real Web Locks and BroadcastChannel.
 * "Another tab" is what another tab would do: hold the same lock, write the shared session to
 * localStorage, post on the same channel — from this test, so each step is under its control.
 */
describe('Auth across tabs (real Web Locks and BroadcastChannel)', () => {
  let signer: IdTokenSigner;
  let syncName: string;
  let auth: Auth;
  let http: HttpTestingController;
  let keyStore: DpopKeyStore;
  let otherTab: BroadcastChannel;
  let received: SessionMessage[];

  beforeAll(async () => {
    signer = await IdTokenSigner.create();
  });

  beforeEach(() => {
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    syncName = `dpop-lab-cross-tab-${crypto.randomUUID()}`;
    TestBed.configureTestingModule({
      providers: provideAuthTesting({ redirects: [], signer, sessionSyncName: syncName }),
    });
    auth = TestBed.inject(Auth);
    http = TestBed.inject(HttpTestingController);
    keyStore = TestBed.inject(DpopKeyStore);
    received = [];
    otherTab = new BroadcastChannel(syncName);
    otherTab.onmessage = (event: MessageEvent<SessionMessage>) => received.push(event.data);
  });

  afterEach(async () => {
    otherTab.close();
    http.verify();
    await keyStore.clear();
    TestBed.resetTestingModule();
    await deleteDB(syncName);
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
  });

  async function signIn(): Promise<void> {
    const started = auth.signIn('/');
    (await nextRequest(http, DISCOVERY_URL)).flush(TEST_METADATA);
    await started;
    const pending = JSON.parse(sessionStorage.getItem(PENDING_SIGN_IN_KEY)!);
    const done = auth.completeSignIn({ code: 'c', state: pending.state, iss: TEST_ISSUER });
    (await nextRequest(http, TOKEN_REQUEST)).flush({
      access_token: 'userinfo-token',
      token_type: 'DPoP',
      expires_in: 300,
      refresh_token: 'refresh-1',
      id_token: await signer.sign({ nonce: pending.nonce }),
    });
    expect(await done).toBe('/');
  }

  function storedSession(): Session {
    return JSON.parse(localStorage.getItem(SESSION_KEY)!) as Session;
  }

  /**
   * What another tab's refresh leaves behind: the shared session, changed, in localStorage and
   * handed over in IndexedDB (`localStorage: false`: its write has not reached this tab yet).
   */
  async function storeAsOtherTab(
    change: (session: Session) => void,
    { localStorage: alsoLocal = true } = {},
  ): Promise<Session> {
    const session = storedSession();
    change(session);
    if (alsoLocal) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    await TestBed.inject(SessionSync).handOver(session);
    return session;
  }

  const token = (accessToken: string) => ({
    accessToken,
    issuedAt: Date.now(),
    expiresAt: Date.now() + 300_000,
  });

  /** Holds the refresh lock as another tab's refresh would; resolves to its release. */
  function holdLock(): Promise<() => void> {
    return new Promise((acquired) => {
      void navigator.locks.request(
        `${syncName}.refresh`,
        () => new Promise<void>((release) => acquired(release)),
      );
    });
  }

  async function waitFor(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 2000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met within 2 s');
      await settle(5);
    }
  }

  it('waits while another tab refreshes, then takes the token it stored: no second refresh request', async () => {
    await signIn();
    const release = await holdLock();
    const api = auth.accessToken(TEST_RESOURCE); // no API token yet: a refresh is due

    await settle(50);
    http.expectNone(TOKEN_REQUEST); // waiting for the other tab
    await storeAsOtherTab((session) => {
      session.refreshToken = 'refresh-2';
      session.tokens[TEST_RESOURCE] = token('api-from-other-tab');
    });
    release();

    expect(await api).toBe('api-from-other-tab');
    await settle();
    http.expectNone(TOKEN_REQUEST);
  });

  it("takes the handed-over token even when the other tab's localStorage write has not arrived yet", async () => {
    // Chromium copies localStorage to other tabs' processes asynchronously: the lock can come
    // first. The lock holder's IndexedDB hand-over is what the next tab reads.
    await signIn();
    const release = await holdLock();
    const api = auth.accessToken(TEST_RESOURCE);
    await storeAsOtherTab(
      (session) => {
        session.refreshToken = 'refresh-2';
        session.tokens[TEST_RESOURCE] = token('api-from-other-tab');
      },
      { localStorage: false },
    );
    release();

    expect(await api).toBe('api-from-other-tab');
    await settle();
    http.expectNone(TOKEN_REQUEST);
  });

  it('never sends a refresh token another tab rotated: its refresh uses the newest one', async () => {
    await signIn();
    const release = await holdLock();
    const api = auth.accessToken(TEST_RESOURCE);
    // The other tab refreshed the userinfo token, and the server rotated the refresh token.
    await storeAsOtherTab((session) => {
      session.refreshToken = 'refresh-2';
      session.tokens[DEFAULT_RESOURCE] = token('userinfo-2');
    });
    release();

    const request = await nextRequest(http, TOKEN_REQUEST);
    expect((request.request.body as HttpParams).get('refresh_token')).toBe('refresh-2');
    request.flush({
      access_token: 'api-token',
      token_type: 'DPoP',
      expires_in: 300,
      refresh_token: 'refresh-3',
    });
    expect(await api).toBe('api-token');
    const stored = storedSession();
    expect(stored.refreshToken).toBe('refresh-3');
    expect(stored.tokens[DEFAULT_RESOURCE].accessToken).toBe('userinfo-2'); // theirs, kept
    expect(stored.tokens[TEST_RESOURCE].accessToken).toBe('api-token');
  });

  it('shares the result: the new session goes to the other tabs on the BroadcastChannel', async () => {
    await signIn();
    const api = auth.accessToken(TEST_RESOURCE);
    (await nextRequest(http, TOKEN_REQUEST)).flush({
      access_token: 'api-token',
      token_type: 'DPoP',
      refresh_token: 'refresh-2',
    });
    await api;
    await waitFor(() =>
      received.some(
        (m) => m.type === 'session' && m.session.tokens[TEST_RESOURCE]?.accessToken === 'api-token',
      ),
    );
    const last = received.at(-1) as Extract<SessionMessage, { type: 'session' }>;
    expect(last.session.refreshToken).toBe('refresh-2');
  });

  it('takes the session another tab announces, without asking the server', async () => {
    await signIn();
    const session = await storeAsOtherTab((s) => {
      s.user = { ...s.user, name: 'Alice, renamed in another tab' };
      s.tokens[TEST_RESOURCE] = token('api-from-other-tab');
    });
    otherTab.postMessage({ type: 'session', session } satisfies SessionMessage);
    await waitFor(() => auth.displayName() === 'Alice, renamed in another tab');
    expect(await auth.accessToken(TEST_RESOURCE)).toBe('api-from-other-tab');
    await settle();
    http.expectNone(TOKEN_REQUEST);
  });

  it('signs out when another tab signs out', async () => {
    await signIn();
    otherTab.postMessage({ type: 'signed-out' } satisfies SessionMessage);
    await waitFor(() => auth.status() === 'signed-out');
    expect(await auth.accessToken()).toBeNull();
  });

  it('tells the other tabs when it signs out', async () => {
    await signIn();
    await auth.signOut();
    await waitFor(() => received.some((m) => m.type === 'signed-out'));
  });

  it('ends its session, with a notice, when the stored one vanished while it waited (signed out elsewhere)', async () => {
    await signIn();
    const release = await holdLock();
    const api = auth.accessToken(TEST_RESOURCE);
    localStorage.removeItem(SESSION_KEY);
    await TestBed.inject(SessionSync).handOver(null);
    release();

    await expectAsync(api).toBeRejectedWith(jasmine.objectContaining({ code: 'session_expired' }));
    expect(auth.status()).toBe('signed-out');
    expect(auth.notice()).toContain('another tab');
    await settle();
    http.expectNone(TOKEN_REQUEST);
  });
});
