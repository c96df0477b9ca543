import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Auth } from '../auth/auth';
import { AuthError } from '../auth/auth-error';
import { FakeAuth } from '../auth/testing/fake-auth';
import { TEST_CONFIG } from '../auth/testing/test-config';
import { APP_CONFIG } from '../config/app-config';
import { JUST_SIGNED_IN } from '../shell/just-signed-in';
import { LoginCallback } from './login-callback';

@Component({ selector: 'app-target', template: 'users page' })
class Target {}

describe('LoginCallback', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login/callback', component: LoginCallback },
          { path: 'users', component: Target },
        ]),
        { provide: Auth, useValue: auth },
        { provide: APP_CONFIG, useValue: TEST_CONFIG },
      ],
    });
  });

  it('passes the response parameters to Auth and goes to the page the user wanted, saying it just signed in', async () => {
    const complete = spyOn(auth, 'completeSignIn').and.resolveTo('/users');
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login/callback?code=c1&state=s1&iss=https%3A%2F%2Fas.test');
    await harness.fixture.whenStable();
    expect(complete).toHaveBeenCalledOnceWith({
      code: 'c1',
      state: 's1',
      iss: 'https://as.test',
      error: null,
      error_description: null,
    });
    const router = TestBed.inject(Router);
    expect(router.url).toBe('/users');
    expect(router.lastSuccessfulNavigation()?.extras.state?.[JUST_SIGNED_IN]).toBeTrue();
  });

  it('shows why sign-in failed, with a Sign in again button', async () => {
    spyOn(auth, 'completeSignIn').and.callFake(async () => {
      auth.failWith(
        new AuthError('sign_in_refused', 'The sign-in was cancelled or refused (access_denied).', {
          server: { error: 'access_denied', description: 'End-User aborted interaction' },
        }),
      );
      return null;
    });
    const signIn = spyOn(auth, 'signIn').and.callThrough();
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login/callback?error=access_denied&state=s1');
    await harness.fixture.whenStable();
    const page = harness.routeNativeElement!;
    expect(page.querySelector('h1')!.textContent).toBe('Sign-in failed');
    const alert = page.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('access_denied');
    expect(alert.textContent).toContain('End-User aborted interaction');
    const again = Array.from(page.querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === 'Sign in again',
    )!;
    again.click();
    expect(signIn).toHaveBeenCalledOnceWith('/');
    expect(TestBed.inject(Router).url).toContain('/login/callback');
  });
});
