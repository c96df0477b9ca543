import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  provideRouter,
  Router,
  RouterStateSnapshot,
  UrlTree,
} from '@angular/router';

import { Auth } from './auth';
import { AuthError } from './auth-error';
import { authGuard } from './auth-guard';
import { FakeAuth } from './testing/fake-auth';

describe('authGuard', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: Auth, useValue: auth }],
    });
  });

  function run(url: string) {
    return TestBed.runInInjectionContext(() =>
      authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
    ) as Promise<boolean | UrlTree>;
  }

  it('lets a signed-in user through', async () => {
    auth.signInAs();
    const signIn = spyOn(auth, 'signIn');
    expect(await run('/users')).toBeTrue();
    expect(signIn).not.toHaveBeenCalled();
  });

  it('starts sign-in for a signed-out user, returning to the page they asked for', async () => {
    const signIn = spyOn(auth, 'signIn').and.callThrough();
    expect(await run('/users?page=2')).toBeFalse();
    expect(signIn).toHaveBeenCalledOnceWith('/users?page=2');
  });

  it('waits for a callback that is still signing in, and then lets the user through', async () => {
    let finish!: () => void;
    spyOn(auth, 'callbackSettled').and.returnValue(
      new Promise<void>((resolve) => (finish = resolve)),
    );
    const signIn = spyOn(auth, 'signIn');
    const result = run('/attacks');
    auth.signInAs();
    finish();
    expect(await result).toBeTrue();
    expect(signIn).not.toHaveBeenCalled();
  });

  it('sends the user home when sign-in cannot start (the shell shows why)', async () => {
    spyOn(auth, 'signIn').and.callFake(async () =>
      auth.failWith(new AuthError('discovery_unreachable', 'down')),
    );
    const result = await run('/profile');
    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/');
  });
});
