import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { App } from './app';
import { Auth } from './auth/auth';
import { AuthError } from './auth/auth-error';
import { FakeAuth } from './auth/testing/fake-auth';
import { TEST_CONFIG } from './auth/testing/test-config';
import { APP_CONFIG } from './config/app-config';

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

  it('disables the button while sign-in is under way', async () => {
    void auth.signIn();
    const page = await render();
    expect(button(page, 'Signing in…')!.disabled).toBeTrue();
  });

  it('shows why sign-in could not start as an alert, and still offers Sign in', async () => {
    auth.failWith(
      new AuthError('discovery_unreachable', 'The authorization server at x did not answer.'),
    );
    const page = await render();
    const alert = page.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('The authorization server at x did not answer.');
    expect(button(page, 'Sign in')).toBeDefined();
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

  it('shows a notice (e.g. the session ended) as a status message that can be dismissed', async () => {
    auth.tell('Your session has ended. Sign in again.');
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[role="status"]')!.textContent).toContain('Your session has ended');
    button(page, 'Dismiss')!.click();
    await fixture.whenStable();
    expect(page.querySelector('[role="status"]')).toBeNull();
  });
});
