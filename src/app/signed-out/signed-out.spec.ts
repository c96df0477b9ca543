import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { routedApp } from '../auth/testing/routed-app';
import { forgetSignOutReport, saveSignOutReport, SignOutReport } from './sign-out-report';

const done: SignOutReport = {
  jkt: 'the-old-thumbprint',
  keyDeleted: true,
  revocation: { outcome: 'revoked' },
  server: 'ending',
  arriving: true,
};

/** The page a sign-out ends on, with the app's real routes: it says only what was done. */
describe('SignedOut', () => {
  beforeEach(() => {
    forgetSignOutReport();
    routedApp();
  });

  afterEach(() => forgetSignOutReport());

  const items = (page: HTMLElement) =>
    Array.from(page.querySelectorAll('[data-testid="sign-out-report"] li'), (li) => [
      li.getAttribute('data-done'),
      li.textContent!.replace(/\s+/g, ' ').trim(),
    ]);

  it('says what a sign-out did: key deleted, refresh token revoked, server session ended', async () => {
    saveSignOutReport(done);
    const harness = await RouterTestingHarness.create('/signed-out');
    const page = harness.routeNativeElement!;
    expect(page.querySelector('h1')!.textContent).toBe('Signed out');
    expect(items(page)).toEqual([
      ['true', jasmine.stringContaining('DPoP key was deleted') as unknown as string],
      ['true', jasmine.stringContaining('refresh token was revoked') as unknown as string],
      [
        'true',
        jasmine.stringContaining(
          'session at the authorization server has ended',
        ) as unknown as string,
      ],
    ]);
    expect(page.textContent).toContain('the-old-thumbprint');
  });

  it('says what was not done, and what that means, when the authorization server was down', async () => {
    saveSignOutReport({
      ...done,
      revocation: { outcome: 'not-revoked', reason: 'the authorization server did not answer' },
      server: 'unreachable',
    });
    const harness = await RouterTestingHarness.create('/signed-out');
    const texts = items(harness.routeNativeElement!);
    expect(texts.map(([flag]) => flag)).toEqual(['true', 'false', 'false']);
    expect(texts[1][1]).toContain('was not revoked: the authorization server did not answer');
    expect(texts[2][1]).toContain('could not be reached');
    expect(texts.join(' ')).not.toContain('was revoked at');
  });

  it('is where the landing page goes once after the server’s sign-out sends the browser back', async () => {
    saveSignOutReport(done);
    const harness = await RouterTestingHarness.create('/?state=x');
    const router = TestBed.inject(Router);
    expect(router.url).toBe('/signed-out');
    expect(harness.routeNativeElement!.querySelector('h1')!.textContent).toBe('Signed out');
    await harness.navigateByUrl('/');
    expect(router.url).withContext('shown once').toBe('/');
  });

  it('says only “signed out” with no report (opened by hand)', async () => {
    const harness = await RouterTestingHarness.create('/signed-out');
    const page = harness.routeNativeElement!;
    expect(page.querySelector('h1')!.textContent).toBe('Signed out');
    expect(page.querySelector('[data-testid="sign-out-report"]')).toBeNull();
  });
});
