import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { AttackId, AttackOutcome } from './attack-catalogue';
import { AttackLab } from './attack-lab';
import { Attacker } from './attacker';
import { OwnSignIn } from './own-sign-in';
import { StolenRefreshToken } from './stolen-refresh-token';

/** The network side is the e2e spec's; here the attacker answers what the API would. */
class FakeAttacker {
  readonly ran: AttackId[] = [];
  answer: AttackOutcome | Error = {
    status: 401,
    wwwAuthenticate: 'DPoP error="invalid_token", error_description="bound to another key"',
    error: 'invalid_token',
    description: 'bound to another key',
    steps: ['Made its own ES256 key pair.'],
  };

  async run(id: AttackId): Promise<AttackOutcome> {
    this.ran.push(id);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

describe('AttackLab', () => {
  let auth: FakeAuth;
  let attacker: FakeAttacker;

  beforeEach(() => {
    auth = new FakeAuth();
    auth.signInAs();
    attacker = new FakeAttacker();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Auth, useValue: auth },
        { provide: Attacker, useValue: attacker },
        // The script-in-the-page lessons have their own spec (script-lessons.spec.ts).
        { provide: OwnSignIn, useValue: {} },
        { provide: StolenRefreshToken, useValue: {} },
      ],
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(AttackLab);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const button = (name: string) =>
      Array.from(page.querySelectorAll('button')).find((b) => b.textContent!.trim() === name)!;
    return { fixture, page, button };
  }

  it('offers one button per attack; in a DPoP session the bearer one is disabled and says why', async () => {
    const { page, button } = await render();
    expect(page.querySelectorAll('li.attack').length).toBe(7);
    const bearer = button('Reuse the bearer token from another client');
    expect(bearer.disabled).toBeTrue();
    expect(
      page.querySelector(`#${bearer.getAttribute('aria-describedby')}`)!.textContent,
    ).toContain('plain bearer');
    expect(button('Sign a proof with another key').disabled).toBeFalse();
  });

  it('in a bearer session only the bearer attack runs', async () => {
    auth.signInAs(undefined, 'Bearer');
    const { button } = await render();
    expect(button('Reuse the bearer token from another client').disabled).toBeFalse();
    expect(button('Replay a captured proof').disabled).toBeTrue();
  });

  it('shows the status, the error, WWW-Authenticate and one sentence on why', async () => {
    const { fixture, page, button } = await render();
    button('Sign a proof with another key').click();
    await fixture.whenStable();
    expect(attacker.ran).toEqual(['foreign-key']);
    const result = page.querySelector('[data-testid="result-foreign-key"]')!;
    expect(result.getAttribute('aria-live')).toBe('polite');
    expect(result.querySelector('[data-testid="status"]')!.textContent).toBe('401');
    expect(result.querySelector('[data-testid="error"]')!.textContent).toBe('invalid_token');
    expect(result.textContent).toContain('DPoP error="invalid_token"');
    expect(result.textContent).toContain('Refused');
    expect(result.querySelector('.why')!.textContent).toContain('cnf.jkt');
    expect(result.textContent).toContain('Made its own ES256 key pair.');
  });

  it('says when an attack could not run at all', async () => {
    attacker.answer = new Error('There is no access token to steal: sign in first.');
    const { fixture, page, button } = await render();
    button('Send the DPoP token without a proof').click();
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="result-no-proof"]')!.textContent).toContain(
      'The attack could not run: There is no access token to steal',
    );
  });

  it('links to Check this API, and ends with the lessons on script in the page', async () => {
    const { page } = await render();
    expect(page.querySelector('a[href="/check"]')!.textContent).toBe('Check this API');
    expect(
      Array.from(page.querySelectorAll('app-script-lessons h3')).map((h) => h.textContent),
    ).toEqual(['Script in the page starts its own sign-in', 'A stolen refresh token']);
  });
});
