import { computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  provideRouter,
  Router,
  RouterStateSnapshot,
  UrlTree,
} from '@angular/router';
import { Auth, AuthStatus } from './auth';
import { authGuard } from './auth-guard';

describe('authGuard', () => {
  const status = signal<AuthStatus>('signed-out');
  const signIn = jasmine.createSpy('signIn');

  beforeEach(() => {
    status.set('signed-out');
    signIn.calls.reset();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        {
          provide: Auth,
          useValue: {
            status,
            isSignedIn: computed(() => status() === 'signed-in'),
            signIn,
          } as Partial<Auth>,
        },
      ],
    });
  });

  function run(url: string) {
    return TestBed.runInInjectionContext(() =>
      authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
    ) as Promise<boolean | UrlTree>;
  }

  it('lets a signed-in user through', async () => {
    status.set('signed-in');
    expect(await run('/users')).toBeTrue();
    expect(signIn).not.toHaveBeenCalled();
  });

  it('starts sign-in for a signed-out user, returning to the page they asked for', async () => {
    signIn.and.callFake(async () => status.set('signing-in'));
    expect(await run('/users?page=2')).toBeFalse();
    expect(signIn).toHaveBeenCalledOnceWith('/users?page=2');
  });

  it('sends the user home when sign-in cannot start (the shell shows why)', async () => {
    signIn.and.callFake(async () => status.set('error'));
    const result = await run('/profile');
    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/');
  });
});
