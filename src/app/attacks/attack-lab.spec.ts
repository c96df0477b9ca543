import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { signal } from '@angular/core';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { BearerSession } from '../bearer-comparison/bearer-session';
import { AttackId, AttackOutcome } from './attack-catalogue';
import { AttackLab } from './attack-lab';
import { Attacker } from './attacker';
import { LessonOutcome } from './lesson';
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

/** The popup and the token endpoint are the e2e spec's; here the lessons answer what they would. */
const lessonOutcome: LessonOutcome = {
  accepted: true,
  status: '200',
  steps: ['Made its own ES256 key pair.', 'Called GET /api/users: 200.'],
  why: 'Accepted: the token is bound to the script’s key.',
};

/** The comparison's token, held or not; its sign-in is BearerSession's spec's. */
class FakeBearer {
  readonly available = true;
  readonly token = signal<{ accessToken: string; expiresAt: number } | null>(null);
  readonly signIns: string[] = [];
  async signIn(returnUrl: string): Promise<void> {
    this.signIns.push(returnUrl);
  }
}

describe('AttackLab', () => {
  let auth: FakeAuth;
  let bearer: FakeBearer;
  let attacker: FakeAttacker;
  let calls: string[];

  beforeEach(() => {
    auth = new FakeAuth();
    auth.signInAs();
    attacker = new FakeAttacker();
    bearer = new FakeBearer();
    calls = [];
    const popup = {} as Window;
    const ownSignIn: Pick<OwnSignIn, 'openPopup' | 'run'> = {
      openPopup: () => {
        calls.push('openPopup');
        return popup;
      },
      run: async (given) => {
        calls.push(given === popup ? 'run with that popup' : 'run without it');
        return lessonOutcome;
      },
    };
    const stolen: Pick<StolenRefreshToken, 'run'> = {
      run: () => Promise.reject(new Error('There is no refresh token in IndexedDB to steal.')),
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Auth, useValue: auth },
        { provide: Attacker, useValue: attacker },
        { provide: BearerSession, useValue: bearer },
        { provide: OwnSignIn, useValue: ownSignIn },
        { provide: StolenRefreshToken, useValue: stolen },
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

  it('offers one button per attack; without a bearer token the bearer one is disabled and says why', async () => {
    const { page, button } = await render();
    expect(page.querySelectorAll('li.attack').length).toBe(7);
    const replay = button('Reuse the bearer token from another client');
    expect(replay.disabled).toBeTrue();
    expect(
      page.querySelector(`#${replay.getAttribute('aria-describedby')}`)!.textContent,
    ).toContain('plain bearer token');
    expect(button('Sign a proof with another key').disabled).toBeFalse();
  });

  it('gets a plain bearer token beside the DPoP session, coming back to the lab', async () => {
    const { fixture, button } = await render();
    button('Get a plain bearer token').click();
    expect(bearer.signIns).toEqual(['/attacks']);
    bearer.token.set({ accessToken: 'b', expiresAt: Date.now() + 60_000 });
    await fixture.whenStable();
    expect(button('Reuse the bearer token from another client').disabled).toBeFalse();
    expect(button('Replay a captured proof').disabled).withContext('DPoP attacks too').toBeFalse();
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
    expect(Array.from(page.querySelectorAll('.lesson h3')).map((h) => h.textContent)).toEqual([
      'Script in the page starts its own sign-in',
      'A stolen refresh token',
    ]);
  });

  it('opens the popup in the click itself, then shows the verdict, why, and each step', async () => {
    const { fixture, page, button } = await render();
    button('Start a sign-in of its own').click();
    expect(calls).toEqual(['openPopup', 'run with that popup']);
    await fixture.whenStable();
    const result = page.querySelector('[data-testid="lesson-own-sign-in"]')!;
    expect(result.querySelector('[data-testid="status"]')!.textContent).toBe('200');
    expect(result.querySelector('.verdict')!.textContent).toContain('Accepted');
    expect(result.querySelector('.why')!.textContent).toContain('bound to the script’s key');
    expect(Array.from(result.querySelectorAll('li')).map((li) => li.textContent)).toEqual(
      lessonOutcome.steps,
    );
    expect(page.textContent).toContain('What stops it');
  });

  it('says why a lesson could not run', async () => {
    const { fixture, page, button } = await render();
    button('Steal the refresh token').click();
    await fixture.whenStable();
    expect(
      page.querySelector('[data-testid="lesson-stolen-refresh-token"]')!.textContent,
    ).toContain('The lesson could not run: There is no refresh token in IndexedDB to steal.');
  });

  it('needs a session', async () => {
    await auth.signOut();
    const { button } = await render();
    expect(button('Start a sign-in of its own').disabled).toBeTrue();
    expect(button('Steal the refresh token').disabled).toBeTrue();
  });
});
