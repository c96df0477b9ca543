import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { BearerSession } from '../bearer-comparison/bearer-session';
import { forgetLabRecords } from '../shared/lab-records';
import { AttackId, AttackOutcome } from './attack-catalogue';
import { AttackLab } from './attack-lab';
import { Attacker } from './attacker';
import { LessonOutcome, ProgressReport } from './lesson';
import { OwnSignIn } from './own-sign-in';
import { StolenRefreshToken } from './stolen-refresh-token';

const refused: AttackOutcome = {
  status: 401,
  wwwAuthenticate: 'DPoP error="invalid_token", error_description="bound to another key"',
  error: 'invalid_token',
  description: 'bound to another key',
  steps: ['Made its own ES256 key pair.'],
};

/** The network side is the e2e spec's; here the attacker answers what the API would. */
class FakeAttacker {
  readonly ran: AttackId[] = [];
  answers: Partial<Record<AttackId, AttackOutcome | Error>> = {};
  /** Set to hold the next run until `release()`. */
  hold: Promise<void> | null = null;

  async run(id: AttackId): Promise<AttackOutcome> {
    this.ran.push(id);
    await this.hold;
    const answer = this.answers[id] ?? refused;
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** The popup and the token endpoint are the e2e spec's; here the lessons answer what they would. */
const lessonOutcome: LessonOutcome = {
  outcome: 'got-through',
  status: '200',
  steps: ['Made its own ES256 key pair.', 'Called GET /api/users: 200.'],
  why: 'The token is bound to the script’s key.',
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
  let steal: (report?: ProgressReport) => Promise<LessonOutcome>;

  function configure(): void {
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
    const stolen: Pick<StolenRefreshToken, 'run'> = { run: (report) => steal(report) };
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
  }

  beforeEach(() => {
    forgetLabRecords();
    auth = new FakeAuth();
    auth.signInAs();
    attacker = new FakeAttacker();
    bearer = new FakeBearer();
    calls = [];
    steal = () => Promise.reject(new Error('There is no refresh token in IndexedDB to steal.'));
    configure();
  });

  afterEach(() => forgetLabRecords());

  async function render() {
    const fixture = TestBed.createComponent(AttackLab);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const button = (name: string) =>
      Array.from(page.querySelectorAll('button')).find((b) => b.textContent!.trim() === name)!;
    const result = (id: string) => page.querySelector(`[data-testid="result-${id}"]`)!;
    return { fixture, page, button, result };
  }

  it('offers one button per attack; without a bearer token the bearer one is unavailable and says why', async () => {
    const { fixture, page, button } = await render();
    expect(page.querySelectorAll('li.attack').length).toBe(7);
    const replay = button('Reuse the bearer token from another client');
    expect(replay.getAttribute('aria-disabled')).toBe('true');
    expect(
      page.querySelector(`#${replay.getAttribute('aria-describedby')}`)!.textContent,
    ).toContain('plain bearer token');
    replay.click();
    await fixture.whenStable();
    expect(attacker.ran).withContext('an unavailable button does nothing').toEqual([]);
    expect(button('Sign a proof with another key').hasAttribute('aria-disabled')).toBeFalse();
  });

  it('gets a plain bearer token beside the DPoP session (a secondary button), coming back to the lab', async () => {
    const { fixture, button, page } = await render();
    const get = button('Get a plain bearer token');
    expect(get.classList).not.toContain('primary');
    get.click();
    expect(bearer.signIns).toEqual(['/attacks']);
    bearer.token.set({ accessToken: 'b', expiresAt: Date.now() + 60_000 });
    await fixture.whenStable();
    expect(page.textContent).toContain('This tab has one, valid until');
    expect(button('Reuse the bearer token from another client').hasAttribute('aria-disabled'))
      .withContext('usable now')
      .toBeFalse();
  });

  it('shows a refusal as Blocked (the defence did its job): status, error, WWW-Authenticate, why', async () => {
    const { fixture, button, result } = await render();
    button('Sign a proof with another key').click();
    await fixture.whenStable();
    expect(attacker.ran).toEqual(['foreign-key']);
    const shown = result('foreign-key');
    expect(shown.getAttribute('aria-live')).toBe('polite');
    const badge = shown.querySelector('app-outcome-badge')!;
    expect(badge.textContent!.trim()).toBe('Blocked');
    expect(badge.getAttribute('data-outcome')).toBe('blocked');
    expect(shown.querySelector('[data-testid="status"]')!.textContent).toBe('401');
    expect(shown.querySelector('[data-testid="error"]')!.textContent).toBe('invalid_token');
    expect(shown.textContent).toContain('DPoP error="invalid_token"');
    expect(shown.querySelector('.why')!.textContent).toContain('cnf.jkt');
    expect(shown.textContent).toContain('Made its own ES256 key pair.');
  });

  it('shows a stolen token that worked as Got through, and no response as No answer', async () => {
    bearer.token.set({ accessToken: 'b', expiresAt: Date.now() + 60_000 });
    attacker.answers['bearer-replay'] = { status: 200, wwwAuthenticate: null, steps: [] };
    attacker.answers['old-iat'] = { status: 0, wwwAuthenticate: null, steps: [] };
    const { fixture, button, result } = await render();
    button('Reuse the bearer token from another client').click();
    await fixture.whenStable();
    button('Send a proof with an old iat').click();
    await fixture.whenStable();
    const outcome = (id: string) => result(id).querySelector('app-outcome-badge')!;
    expect(outcome('bearer-replay').textContent!.trim()).toBe('Got through');
    expect(outcome('bearer-replay').getAttribute('data-outcome')).toBe('got-through');
    expect(outcome('old-iat').textContent!.trim()).toBe('No answer');
    expect(result('old-iat').querySelector('.why')!.textContent).toContain('did not answer');
  });

  it('says when an attack could not run at all', async () => {
    attacker.answers['no-proof'] = new Error('There is no access token to steal: sign in first.');
    const { fixture, button, result } = await render();
    button('Send the DPoP token without a proof').click();
    await fixture.whenStable();
    expect(result('no-proof').textContent).toContain(
      'The attack could not run: There is no access token to steal',
    );
  });

  it('keeps focus on a running button: aria-disabled rather than disabled, a second press ignored', async () => {
    let release!: () => void;
    attacker.hold = new Promise((resolve) => (release = resolve));
    const { fixture, button, result } = await render();
    document.body.append(fixture.nativeElement as HTMLElement); // focus needs the document
    const replay = button('Replay a captured proof');
    replay.focus();
    replay.click();
    fixture.detectChanges();
    expect(replay.disabled).toBeFalse();
    expect(replay.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(replay);
    replay.click();
    button('Sign a proof with another key').click();
    release();
    await fixture.whenStable();
    expect(attacker.ran).withContext('one run at a time').toEqual(['replayed-proof']);
    expect(document.activeElement).toBe(replay);
    expect(result('replayed-proof').textContent).toContain('Blocked');
    (fixture.nativeElement as HTMLElement).remove();
  });

  it('keeps the results when the view is closed and opened again, and after a reload', async () => {
    const first = await render();
    first.button('Use a /api/users proof on /api/apps').click();
    await first.fixture.whenStable();
    first.fixture.destroy();

    const again = await render();
    expect(again.result('wrong-url').textContent).toContain('Blocked');

    TestBed.resetTestingModule(); // a reload: new services, the same tab
    configure();
    const reloaded = await render();
    expect(reloaded.result('wrong-url').textContent).toContain('Blocked');
    expect(reloaded.result('wrong-url').textContent).toContain('401');
  });

  it('runs the comparison in one go: the bearer token gets through, the DPoP token is blocked', async () => {
    bearer.token.set({ accessToken: 'b', expiresAt: Date.now() + 60_000 });
    attacker.answers['bearer-replay'] = { status: 200, wwwAuthenticate: null, steps: [] };
    const { fixture, page, button } = await render();
    const runBoth = button('Run both');
    expect(runBoth.classList).toContain('primary');
    runBoth.click();
    await fixture.whenStable();
    expect(attacker.ran).toEqual(['bearer-replay', 'dpop-as-bearer']);
    const side = (id: string) =>
      page.querySelector(`[data-testid="side-${id}"]`)!.textContent!.replace(/\s+/g, ' ');
    expect(side('bearer-replay')).toContain('Got through 200');
    expect(side('dpop-as-bearer')).toContain('Blocked 401 invalid_token');
  });

  it('does not run the comparison without a bearer token, and says what it needs', async () => {
    const { fixture, page, button } = await render();
    const runBoth = button('Run both');
    expect(runBoth.getAttribute('aria-disabled')).toBe('true');
    expect(
      page.querySelector(`#${runBoth.getAttribute('aria-describedby')}`)!.textContent,
    ).toContain('plain bearer token');
    runBoth.click();
    await fixture.whenStable();
    expect(attacker.ran).toEqual([]);
  });

  it('links to Check this API, and ends with the lessons on script in the page', async () => {
    const { page } = await render();
    expect(page.querySelector('a[href="/check"]')!.textContent).toBe('Check this API');
    expect(Array.from(page.querySelectorAll('.lesson h3')).map((h) => h.textContent)).toEqual([
      'Script in the page starts its own sign-in',
      'A stolen refresh token',
    ]);
  });

  it('opens the popup in the click itself, then shows the outcome, why, and each step', async () => {
    const { fixture, page, button } = await render();
    button('Start a sign-in of its own').click();
    expect(calls).toEqual(['openPopup', 'run with that popup']);
    await fixture.whenStable();
    const result = page.querySelector('[data-testid="lesson-own-sign-in"]')!;
    expect(result.querySelector('[data-testid="status"]')!.textContent).toBe('200');
    expect(result.querySelector('app-outcome-badge')!.textContent!.trim()).toBe('Got through');
    expect(result.querySelector('.why')!.textContent).toContain('bound to the script’s key');
    expect(Array.from(result.querySelectorAll('li')).map((li) => li.textContent)).toEqual(
      lessonOutcome.steps,
    );
    expect(page.textContent).toContain('What stops it');
  });

  it('shows a lesson’s steps as they happen, then its outcome', async () => {
    let report!: ProgressReport;
    let finish!: (outcome: LessonOutcome) => void;
    steal = (given) => {
      report = given!;
      return new Promise((resolve) => (finish = resolve));
    };
    const { fixture, page, button } = await render();
    button('Steal the refresh token').click();
    const result = () => page.querySelector('[data-testid="lesson-stolen-refresh-token"]')!;
    report({ steps: ['Opened IndexedDB.'], doing: 'Sending it without a proof…' });
    fixture.detectChanges(); // still running: whenStable() would wait for the end
    expect(Array.from(result().querySelectorAll('li'), (li) => li.textContent!.trim())).toEqual([
      'Opened IndexedDB.',
      'Sending it without a proof…',
    ]);
    report({ steps: ['Opened IndexedDB.', 'Sent it without a proof: 400.'], doing: null });
    fixture.detectChanges();
    expect(result().textContent).toContain('Sent it without a proof: 400.');
    finish({
      outcome: 'blocked',
      status: '400 invalid_grant',
      steps: ['Opened IndexedDB.', 'Sent it without a proof: 400.'],
      why: 'Bound to this browser’s key.',
    });
    await fixture.whenStable();
    expect(result().querySelector('app-outcome-badge')!.textContent!.trim()).toBe('Blocked');
  });

  it('says why a lesson could not run', async () => {
    const { fixture, page, button } = await render();
    button('Steal the refresh token').click();
    await fixture.whenStable();
    expect(
      page.querySelector('[data-testid="lesson-stolen-refresh-token"]')!.textContent,
    ).toContain('The lesson could not run: There is no refresh token in IndexedDB to steal.');
  });

  it('needs a session for the lessons', async () => {
    await auth.signOut();
    const { button } = await render();
    expect(button('Start a sign-in of its own').getAttribute('aria-disabled')).toBe('true');
    expect(button('Steal the refresh token').getAttribute('aria-disabled')).toBe('true');
    button('Start a sign-in of its own').click();
    expect(calls).toEqual([]);
  });
});
