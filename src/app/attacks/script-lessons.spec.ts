import { TestBed } from '@angular/core/testing';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { LessonOutcome } from './lesson';
import { OwnSignIn } from './own-sign-in';
import { ScriptLessons } from './script-lessons';
import { StolenRefreshToken } from './stolen-refresh-token';

/** The network and the popup are the e2e spec's; here the lessons answer what they would. */
const outcome: LessonOutcome = {
  accepted: true,
  status: '200',
  steps: ['Made its own ES256 key pair.', 'Called GET /api/users: 200.'],
  why: 'Accepted: the token is bound to the script’s key.',
};

describe('ScriptLessons', () => {
  let auth: FakeAuth;
  let calls: string[];
  let ownSignIn: Pick<OwnSignIn, 'openPopup' | 'run'>;
  let stolen: Pick<StolenRefreshToken, 'run'>;

  beforeEach(() => {
    auth = new FakeAuth();
    auth.signInAs();
    calls = [];
    const popup = {} as Window;
    ownSignIn = {
      openPopup: () => {
        calls.push('openPopup');
        return popup;
      },
      run: async (given) => {
        calls.push(given === popup ? 'run with that popup' : 'run without it');
        return outcome;
      },
    };
    stolen = {
      run: () => Promise.reject(new Error('There is no refresh token in IndexedDB to steal.')),
    };
    TestBed.configureTestingModule({
      providers: [
        { provide: Auth, useValue: auth },
        { provide: OwnSignIn, useValue: ownSignIn },
        { provide: StolenRefreshToken, useValue: stolen },
      ],
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(ScriptLessons);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const button = (name: string) =>
      Array.from(page.querySelectorAll('button')).find((b) => b.textContent!.trim() === name)!;
    return { fixture, page, button };
  }

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
      outcome.steps,
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

  it('warns a plain-bearer session that the script really uses its refresh token', async () => {
    auth.signInAs(undefined, 'Bearer');
    const { page } = await render();
    expect(page.querySelector('[role="note"]')!.textContent).toContain(
      'the script really uses your refresh token',
    );
  });

  it('needs a session', async () => {
    await auth.signOut();
    const { button } = await render();
    expect(button('Start a sign-in of its own').disabled).toBeTrue();
    expect(button('Steal the refresh token').disabled).toBeTrue();
  });
});
