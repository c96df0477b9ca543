import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { TEST_CONFIG } from '../auth/testing/test-config';
import { APP_CONFIG } from '../config/app-config';
import type { Loader } from './loader';
import { LoadState } from './load-state';
import type { Problem } from './problem';

/** A loader in a given state, and what its Try again did. */
function fakeLoader(problem: Problem): Loader<string> & { loads: number } {
  const fake = {
    loads: 0,
    value: signal<string | undefined>(undefined),
    loading: signal(false),
    problem: signal<Problem | null>(problem),
    load: async () => {
      fake.loads++;
    },
  };
  return fake;
}

@Component({
  imports: [LoadState],
  template: `<app-load-state [loader]="loader"><p>content</p></app-load-state>`,
})
class Host {
  loader!: Loader<string>;
}

describe('LoadState', () => {
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Auth, useValue: auth },
        { provide: APP_CONFIG, useValue: TEST_CONFIG },
      ],
    });
  });

  async function render(loader: Loader<string>) {
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.loader = loader;
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const buttons = Array.from(page.querySelectorAll('button'), (b) => b.textContent!.trim());
    return { page, buttons };
  }

  it('offers Try again for a failure that trying again may fix', async () => {
    auth.signInAs();
    const loader = fakeLoader({ message: 'The API did not answer.' });
    const { page, buttons } = await render(loader);
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('did not answer');
    expect(buttons).toEqual(['Try again']);
    page.querySelector('button')!.click();
    expect(loader.loads).toBe(1);
  });

  it('offers Sign in again, not a Try again that cannot work, when only a new sign-in helps', async () => {
    auth.signInAs();
    const signIn = spyOn(auth, 'signIn');
    const { page, buttons } = await render(
      fakeLoader({ message: 'Your sign-in cannot be extended. Sign in again.', fix: 'sign-in' }),
    );
    expect(buttons).toEqual(['Sign in again']);
    page.querySelector('button')!.click();
    expect(signIn).toHaveBeenCalledOnceWith('/');
  });

  it('says no more than "signed out" when the session ended: the shell’s notice says why, once', async () => {
    const { page, buttons } = await render(
      fakeLoader({ message: 'Your session has ended.', error: 'invalid_grant', fix: 'sign-in' }),
    );
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(page.textContent).not.toContain('invalid_grant');
    expect(page.textContent).toContain('Nothing to show: you are signed out.');
    expect(buttons).toEqual([]);
  });
});
