import { TestBed } from '@angular/core/testing';
import { PENDING_SIGN_IN_KEY, PendingSignIn, PendingSignInStore } from './pending-sign-in';
import { Session, SESSION_KEY, SessionStore } from './session-store';

describe('SessionStore', () => {
  const session: Session = {
    jkt: 'thumbprint',
    refreshToken: 'refresh-1',
    idToken: 'header.payload.signature',
    user: { sub: 'alice', name: 'Alice Anders' },
    tokens: { '': { accessToken: 'userinfo-token', expiresAt: 1_900_000_000_000 } },
  };
  let store: SessionStore;

  beforeEach(() => {
    localStorage.removeItem(SESSION_KEY);
    store = TestBed.inject(SessionStore);
  });

  afterEach(() => localStorage.removeItem(SESSION_KEY));

  it('keeps the whole session in localStorage under one key', () => {
    store.save(session);
    expect(Object.keys(localStorage).filter((key) => key.startsWith('dpop-lab.'))).toEqual([
      SESSION_KEY,
    ]);
    expect(store.load()).toEqual(session);
  });

  it('treats a missing session as signed out', () => {
    expect(store.load()).toBeNull();
  });

  it('drops an unreadable or incomplete entry instead of failing', () => {
    localStorage.setItem(SESSION_KEY, '{not json');
    expect(store.load()).toBeNull();
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    localStorage.setItem(SESSION_KEY, JSON.stringify({ jkt: 'x' }));
    expect(store.load()).toBeNull();
  });

  it('clear() removes the session', () => {
    store.save(session);
    store.clear();
    expect(store.load()).toBeNull();
  });
});

describe('PendingSignInStore', () => {
  const pending: PendingSignIn = {
    state: 's',
    nonce: 'n',
    codeVerifier: 'v',
    returnUrl: '/users',
    jkt: 'thumbprint',
  };
  let store: PendingSignInStore;

  beforeEach(() => {
    sessionStorage.removeItem(PENDING_SIGN_IN_KEY);
    store = TestBed.inject(PendingSignInStore);
  });

  it('keeps the pending sign-in in sessionStorage, not localStorage', () => {
    store.save(pending);
    expect(sessionStorage.getItem(PENDING_SIGN_IN_KEY)).not.toBeNull();
    expect(localStorage.getItem(PENDING_SIGN_IN_KEY)).toBeNull();
  });

  it('hands the pending sign-in out once: take() removes it', () => {
    store.save(pending);
    expect(store.take()).toEqual(pending);
    expect(store.take()).toBeNull();
    expect(sessionStorage.getItem(PENDING_SIGN_IN_KEY)).toBeNull();
  });

  it('ignores a tampered entry', () => {
    sessionStorage.setItem(PENDING_SIGN_IN_KEY, JSON.stringify({ state: 's' }));
    expect(store.take()).toBeNull();
  });
});
