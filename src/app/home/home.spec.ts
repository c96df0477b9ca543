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

  it('explains what the app shows under one top-level heading', async () => {
    const page = await render();
    expect(page.querySelectorAll('h1').length).toBe(1);
    expect(page.textContent).toContain('DPoP');
    expect(page.textContent).toContain('RFC 9449');
  });

  it('points a signed-out visitor to Sign in, without a second Sign in button', async () => {
    const page = await render();
    expect(page.textContent).toContain('Use Sign in at the top');
    const buttons = Array.from(page.querySelectorAll('button'), (b) => b.textContent!.trim());
    expect(buttons.filter((name) => /sign in/i.test(name))).toEqual([]);
  });

  it('links a signed-in user to the profile and the users', async () => {
    auth.signInAs({ sub: 'alice', name: 'Alice Anders' });
    const page = await render();
    expect(page.textContent).toContain('Signed in as Alice Anders');
    expect(
      Array.from(page.querySelectorAll(':scope > p a'), (a) => a.getAttribute('href')),
    ).toEqual(['/profile', '/users', '/inspector', '/attacks']);
    expect(page.querySelector('[role="note"]')).toBeNull();
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
    expect(table.closest('[role="region"]')!.getAttribute('tabindex')).toBe('0');
  });
});
