import { Location } from '@angular/common';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { App } from './app';
import { Auth } from './auth/auth';
import { AuthError } from './auth/auth-error';
import { FakeAuth } from './auth/testing/fake-auth';
import { TEST_CONFIG } from './auth/testing/test-config';
import { APP_CONFIG } from './config/app-config';
import { JUST_SIGNED_IN } from './shell/just-signed-in';

describe('App (the shell)', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideRouter([]),
        { provide: APP_CONFIG, useValue: TEST_CONFIG },
        { provide: Auth, useValue: auth },
      ],
    });
  });

  /** The shell, its messages loaded (they come in a chunk of their own, beside the first page). */
  async function render(): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  function button(page: HTMLElement, name: string): HTMLButtonElement | undefined {
    return Array.from(page.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
  }

  it('has a labelled main navigation with Home, Profile, Users, Inspector, Attack lab and Check this API', async () => {
    const page = await render();
    const nav = page.querySelector('header nav[aria-label="Main"]')!;
    const links = Array.from(nav.querySelectorAll('a'), (a) => [
      a.textContent?.trim(),
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['Home', '/'],
      ['Profile', '/profile'],
      ['Users', '/users'],
      ['Inspector', '/inspector'],
      ['Attack lab', '/attacks'],
      ['Check this API', '/check'],
    ]);
    expect(page.querySelector('main')).not.toBeNull();
  });

  it("marks the current page's link: active, and aria-current=page (sub-pages and queries too)", async () => {
    const fixture = TestBed.createComponent(App);
    const router = TestBed.inject(Router);
    router.resetConfig([{ path: '**', children: [] }]);
    const current = () =>
      Array.from(
        (fixture.nativeElement as HTMLElement).querySelectorAll('nav a[aria-current="page"]'),
        (a) => [a.textContent?.trim(), a.classList.contains('active')],
      );

    await router.navigateByUrl('/');
    await fixture.whenStable();
    expect(current()).toEqual([['Home', true]]);
    await router.navigateByUrl('/users/2?page=3#top');
    await fixture.whenStable();
    expect(current()).toEqual([['Users', true]]);
    await router.navigateByUrl('/usersx');
    await fixture.whenStable();
    expect(current()).toEqual([]);
  });

  it('offers Sign in when signed out, and starts sign-in from the current page', async () => {
    const signIn = spyOn(auth, 'signIn').and.callThrough();
    const page = await render();
    expect(button(page, 'Sign out')).toBeUndefined();
    button(page, 'Sign in')!.click();
    expect(signIn).toHaveBeenCalledOnceWith('/');
  });

  it('shows who is signed in and offers Sign out', async () => {
    auth.signInAs({ sub: 'alice', name: 'Alice Anders' });
    const signOut = spyOn(auth, 'signOut').and.callThrough();
    const page = await render();
    expect(page.querySelector('header')!.textContent).toContain('Signed in as Alice Anders');
    expect(button(page, 'Sign in')).toBeUndefined();
    button(page, 'Sign out')!.click();
    expect(signOut).toHaveBeenCalled();
  });

  it('keeps the same button, focusable and marked busy, while sign-in is under way', async () => {
    const signIn = spyOn(auth, 'signIn').and.callThrough();
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const start = button(page, 'Sign in')!;
    start.click();
    await fixture.whenStable();
    expect(button(page, 'Signing in…')).toBe(start);
    expect(start.disabled).toBeFalse();
    expect(start.getAttribute('aria-disabled')).toBe('true');
    start.click();
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  it('starts with a skip link to the main content, which moves focus there', async () => {
    const page = await render();
    document.body.append(page);
    const first = page.querySelector('a, button')!;
    expect(first.textContent!.trim()).toBe('Skip to main content');
    (first as HTMLElement).click();
    expect(document.activeElement).toBe(page.querySelector('main'));
    expect(TestBed.inject(Router).url).withContext('the URL is the router’s').toBe('/');
    page.remove();
  });

  it('moves focus to the new view’s heading on a change of view, not on the first page', async () => {
    @Component({ template: '<h1>First</h1>' })
    class FirstView {}
    @Component({ template: '<h1>Second</h1>' })
    class SecondView {}
    const router = TestBed.inject(Router);
    router.resetConfig([
      { path: '', component: FirstView },
      { path: 'second', component: SecondView },
    ]);
    const fixture = TestBed.createComponent(App);
    const page = fixture.nativeElement as HTMLElement;
    document.body.append(page);
    await router.navigateByUrl('/');
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.activeElement).withContext('the first page').toBe(document.body);

    await router.navigateByUrl('/second');
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    const heading = page.querySelector('main h1')!;
    expect(heading.textContent).toBe('Second');
    expect(document.activeElement).toBe(heading);
    page.remove();
  });

  it('shows why sign-in could not start as an alert, with Sign in and a quiet Dismiss in it', async () => {
    auth.failWith(
      new AuthError('discovery_unreachable', 'The authorization server at x did not answer.'),
    );
    const page = await render();
    const alert = page.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('The sign-in server did not answer.');
    expect(alert.textContent).toContain('The authorization server at x did not answer.');
    const inAlert = Array.from(alert.querySelectorAll('button'), (b) => [
      b.textContent!.trim(),
      b.className,
    ]);
    expect(inAlert).toEqual([
      ['Sign in', ''],
      ['Dismiss', 'quiet'],
    ]);
  });

  it("shows the server's error and error_description when the server refused", async () => {
    auth.failWith(
      new AuthError(
        'token_request_refused',
        'The token endpoint refused the request: invalid_client.',
        { server: { error: 'invalid_client', description: 'client not found' } },
      ),
    );
    const alert = (await render()).querySelector('[role="alert"]')!;
    expect(alert.querySelector('code')!.textContent).toBe('invalid_client');
    expect(alert.textContent).toContain('client not found');
  });

  it('shows a notice (the session ended) once, as a status, with Sign in and Dismiss', async () => {
    auth.tell('Your session has ended. Sign in again.');
    const signIn = spyOn(auth, 'signIn');
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const status = page.querySelectorAll('[role="status"]');
    expect(status.length).toBe(1);
    expect(status[0].textContent).toContain('Your session has ended');
    expect(page.querySelector('[role="alert"]')).toBeNull();
    button(status[0] as HTMLElement, 'Sign in')!.click();
    expect(signIn).toHaveBeenCalledOnceWith('/');
    button(page, 'Dismiss')!.click();
    await fixture.whenStable();
    expect(page.querySelector('[role="status"]')).toBeNull();
  });

  it('says, on the view a sign-in lands on, that the tokens are bound to this key', async () => {
    auth.signInAs();
    const router = TestBed.inject(Router);
    router.resetConfig([{ path: '**', children: [] }]);
    const fixture = TestBed.createComponent(App);
    const page = fixture.nativeElement as HTMLElement;
    await router.navigateByUrl('/users', { state: { [JUST_SIGNED_IN]: true } });
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="signed-in-thumbprint"]')!.textContent).toBe(
      'test-key-thumbprint',
    );
    expect(page.querySelector('[role="status"]')!.textContent).toContain('cnf.jkt');
    expect((TestBed.inject(Location).getState() as Record<string, unknown>)[JUST_SIGNED_IN])
      .withContext('a reload of this view would not say it again')
      .toBeFalse();
    await router.navigateByUrl('/profile');
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="signed-in-thumbprint"]'))
      .withContext('on that view only')
      .toBeNull();
  });
});
