import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { Home } from './home';

describe('Home', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: Auth, useValue: auth }],
    });
  });

  async function render(): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(Home);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('spells DPoP out under one top-level heading', async () => {
    const page = await render();
    expect(page.querySelectorAll('h1').length).toBe(1);
    expect(page.textContent).toContain('DPoP — Demonstrating Proof of Possession');
    expect(page.textContent).toContain('RFC 9449');
  });

  it('shows the path: sign in, call the API, inspect, attack — with the views linked', async () => {
    const page = await render();
    const steps = Array.from(page.querySelectorAll('ol.path > li'), (li) =>
      li.querySelector('strong')!.textContent!.trim(),
    );
    expect(steps).toEqual(['Sign in.', 'Call the API.', 'Inspect.', 'Attack.']);
    expect(Array.from(page.querySelectorAll('ol.path a'), (a) => a.getAttribute('href'))).toEqual([
      '/users',
      '/profile',
      '/inspector',
      '/attacks',
      '/check',
    ]);
  });

  it('gives a signed-out visitor the demo accounts and points to Sign in, without a second Sign in button', async () => {
    const page = await render();
    expect(page.textContent).toContain('Use Sign in at the top of the page');
    expect(page.querySelector('app-demo-accounts')!.textContent).toContain('alice-password');
    const buttons = Array.from(page.querySelectorAll('button'), (b) => b.textContent!.trim());
    expect(buttons.filter((name) => /sign in/i.test(name))).toEqual([]);
  });

  it('marks sign-in done for a signed-in user, with the key thumbprint the tokens are bound to', async () => {
    auth.signInAs({ sub: 'alice', name: 'Alice Anders' });
    const page = await render();
    const first = page.querySelector('ol.path > li')!;
    expect(first.getAttribute('data-done')).toBe('true');
    expect(first.textContent).toContain('signed in as Alice Anders');
    expect(page.querySelector('[data-testid="home-thumbprint"]')!.textContent).toBe(
      'test-key-thumbprint',
    );
    expect(page.querySelector('app-demo-accounts')).toBeNull();
  });

  it('compares bearer, DPoP, a backend-for-frontend and DBSC in one table, with when each is right', async () => {
    const page = await render();
    const table = page.querySelector('app-dpop-compared table')!;
    const texts = (selector: string) =>
      Array.from(table.querySelectorAll(selector), (cell) => cell.textContent!.trim());
    expect(texts('thead th')).toEqual([
      'Approach',
      'Someone copies the token (or cookie)',
      'Script runs in the page (XSS)',
      'The right choice when',
    ]);
    expect(texts('tbody th')).toEqual([
      'Bearer tokens in the browser (RFC 6750)',
      'DPoP (RFC 9449), as in this app',
      'Backend-for-frontend (token handler)',
      'Device Bound Session Credentials (DBSC)',
    ]);
    // At phone width its rows stack, each cell under its column's name: no box to scroll.
    expect(table.classList).toContain('stacked');
    expect(
      Array.from(table.querySelectorAll('tbody tr:first-child td'), (td) =>
        td.getAttribute('data-label'),
      ),
    ).toEqual([
      'If someone copies the token',
      'If script runs in the page',
      'The right choice when',
    ]);
  });
});
