import { TestBed } from '@angular/core/testing';

import { PENDING_SIGN_IN_KEY, PendingSignIn, PendingSignInStore } from './pending-sign-in';

describe('PendingSignInStore', () => {
  const pending: PendingSignIn = {
    state: 's',
    nonce: 'n',
    codeVerifier: 'v',
    returnUrl: '/users',
    dpopJkt: 'thumbprint',
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
    sessionStorage.setItem(PENDING_SIGN_IN_KEY, JSON.stringify({ ...pending, returnUrl: 7 }));
    expect(store.take()).toBeNull();
    sessionStorage.setItem(PENDING_SIGN_IN_KEY, '{not json');
    expect(store.take()).toBeNull();
  });
});
