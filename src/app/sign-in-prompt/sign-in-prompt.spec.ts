import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { appRoutes } from '../app.routes';
import { FakeAuth } from '../auth/testing/fake-auth';
import { routedApp } from '../auth/testing/routed-app';
import { TEST_CONFIG } from '../auth/testing/test-config';

/**
 * A protected view for a signed-out visitor: the app's real routes, so the prompt is what the
 * visitor sees at /users — in the app, with sign-in offered there and back to /users after.
 */
describe('a protected view, signed out (SignInPrompt)', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = routedApp();
  });

  it('stays in the app at /users, says what Users shows, and signs in back to it', async () => {
    const signIn = spyOn(auth, 'signIn').and.callThrough();
    const harness = await RouterTestingHarness.create('/users?page=2');
    const page = harness.routeNativeElement!;
    expect(TestBed.inject(Router).url).toBe('/users?page=2');
    expect(page.querySelector('h1')!.textContent).toBe('Users');
    expect(page.textContent).toContain('The people the resource API knows');
    expect(page.querySelector('app-demo-accounts')!.textContent).toContain('bob-password');
    const button = page.querySelector('button.primary') as HTMLButtonElement;
    expect(button.textContent!.trim()).toBe('Sign in');
    button.click();
    expect(signIn).toHaveBeenCalledOnceWith('/users?page=2');
    harness.detectChanges();
    expect(button.textContent!.trim()).toBe('Signing in…');
    expect(button.getAttribute('aria-disabled')).toBe('true');
  });

  for (const [path, title] of [
    ['/profile', 'Profile'],
    ['/inspector', 'Inspector'],
    ['/attacks', 'Attack lab'],
    ['/check', 'Check this API'],
  ]) {
    it(`says what ${title} shows`, async () => {
      const harness = await RouterTestingHarness.create(path);
      expect(harness.routeNativeElement!.querySelector('h1')!.textContent).toBe(title);
      expect(harness.routeNativeElement!.querySelector('h2')!.textContent).toBe(
        'Sign in to see it',
      );
    });
  }

  it('shows a signed-in user the view itself', async () => {
    @Component({ template: '<h1>the real view</h1>' })
    class RealView {}
    auth.signInAs();
    const router = TestBed.inject(Router);
    router.resetConfig(
      appRoutes(TEST_CONFIG).map((route) =>
        route.path === 'users' && route.canMatch
          ? { ...route, loadComponent: () => RealView }
          : route,
      ),
    );
    const harness = await RouterTestingHarness.create('/users');
    expect(harness.routeNativeElement!.querySelector('h1')!.textContent).toBe('the real view');
  });
});
