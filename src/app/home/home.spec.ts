import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/auth-testing';
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
    expect(page.querySelector('button')).toBeNull();
  });

  it('links a signed-in user to the profile and the users', async () => {
    auth.signInAs({ sub: 'alice', name: 'Alice Anders' });
    const page = await render();
    expect(page.textContent).toContain('Signed in as Alice Anders');
    expect(Array.from(page.querySelectorAll('a'), (a) => a.getAttribute('href'))).toEqual([
      '/profile',
      '/users',
    ]);
  });
});
