import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Auth } from './auth';
import { signedIn } from './signed-in';
import { FakeAuth } from './testing/fake-auth';

describe('signedIn (canMatch of the protected views)', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: Auth, useValue: auth }],
    });
  });

  const match = () => TestBed.runInInjectionContext(() => signedIn({}, [])) as Promise<boolean>;

  it('matches a signed-in user’s view', async () => {
    auth.signInAs();
    expect(await match()).toBeTrue();
  });

  it('does not match for a signed-out visitor (the prompt route does), and starts no sign-in', async () => {
    const signIn = spyOn(auth, 'signIn');
    expect(await match()).toBeFalse();
    expect(signIn).not.toHaveBeenCalled();
  });

  it('waits for a callback that is still signing in, then matches', async () => {
    let finish!: () => void;
    spyOn(auth, 'callbackSettled').and.returnValue(
      new Promise<void>((resolve) => (finish = resolve)),
    );
    const result = match();
    auth.signInAs();
    finish();
    expect(await result).toBeTrue();
  });
});
