import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import {
  CONFORMANCE_CHECKS,
  type CheckResult,
  type ConformanceReport,
} from '@dpop-lab/protocol/conformance';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { forgetLabRecords } from '../shared/lab-records';
import { ApiChecker } from './api-checker';
import { CheckApi } from './check-api';

const row = (id: string, changes: Partial<CheckResult> = {}): CheckResult => {
  const check = CONFORMANCE_CHECKS.find((c) => c.id === id)!;
  return {
    id,
    title: check.title,
    reference: check.reference,
    level: check.level,
    expected: check.expected,
    observed: '401 invalid_dpop_proof',
    outcome: 'pass',
    impact: 'exploitable',
    risk: 'what a failure lets happen',
    required: true,
    ...changes,
  };
};

/** The network side is the e2e spec's; here the checker reports what the catalogue would. */
class FakeChecker {
  readonly url = 'http://localhost:3001/api/users';
  report!: (report: ConformanceReport) => void;
  fail!: (error: Error) => void;
  emit!: (result: CheckResult) => void;

  run(onResult: (result: CheckResult) => void): Promise<ConformanceReport> {
    this.emit = onResult;
    return new Promise((resolve, reject) => {
      this.report = resolve;
      this.fail = reject;
    });
  }
}

describe('CheckApi', () => {
  let auth: FakeAuth;
  let checker: FakeChecker;

  afterEach(() => forgetLabRecords());

  beforeEach(() => {
    forgetLabRecords();
    auth = new FakeAuth();
    auth.signInAs();
    checker = new FakeChecker();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Auth, useValue: auth },
        { provide: ApiChecker, useValue: checker },
      ],
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(CheckApi);
    fixture.autoDetectChanges();
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const cells = (id: string) =>
      Array.from(page.querySelectorAll<HTMLElement>(`[data-testid="check-${id}"] > *`)).map(
        (cell) => cell.innerText.replace(/\s+/g, ' ').trim(),
      );
    return { fixture, page, cells, button: page.querySelector('button')! };
  }

  it('says in a few lines what it checks before a run, with the list folded away', async () => {
    const { page } = await render();
    expect(page.querySelector('table')).toBeNull();
    const summary = page.querySelector('[data-testid="catalogue-summary"]')!.textContent!;
    expect(summary).toContain(`${CONFORMANCE_CHECKS.length} checks`);
    expect(summary).toMatch(/\d+ requests with one thing wrong that a conforming API refuses/);
    const list = page.querySelector('details')!;
    expect(list.open).toBeFalse();
    expect(list.querySelectorAll('li').length).toBe(CONFORMANCE_CHECKS.length);
  });

  it('fills each row as its answer comes, keeping the running button focusable', async () => {
    const { fixture, page, cells, button } = await render();
    button.click();
    checker.emit(row('correct-request', { observed: '200' }));
    checker.emit(row('no-typ'));
    checker.emit(row('lowercase-htm', { outcome: 'fail', observed: '200', note: 'accepted it' }));
    fixture.detectChanges(); // still running: whenStable() would wait for the end
    expect(page.querySelector('[role="status"]')!.textContent).toContain('Running: 3 of 42');
    expect(page.querySelectorAll('tbody tr').length).toBe(CONFORMANCE_CHECKS.length);
    expect(cells('no-typ')).toEqual([
      'Proof without typ',
      jasmine.stringContaining('RFC 9449 §4.2'),
      'refuses: 401 invalid_dpop_proof',
      '401 invalid_dpop_proof',
      'pass',
    ]);
    expect(cells('no-typ')[1]).toContain(
      "OpenID FAPI 2.0 test: “Try DPoP proof where 'typ' is missing in header”",
    );
    expect(cells('lowercase-htm').slice(3)).toEqual(['200 accepted it', 'fail']);
    expect(cells('still-works')[3]).toBe('waiting…');
    expect(button.disabled).toBeFalse();
    expect(button.getAttribute('aria-disabled')).toBe('true');
    button.click(); // ignored while running

    checker.report({
      url: checker.url,
      method: 'GET',
      requiresNonce: true,
      strict: false,
      results: [row('no-typ'), row('lowercase-htm', { outcome: 'fail' })],
      passed: false,
    });
    await fixture.whenStable();
    expect(page.querySelector('[data-testid="summary"]')!.textContent).toBe(
      '2 checks: 1 pass, 1 fail, 0 not applicable. 1 required check fail: Proof with htm in lower case.',
    );
    expect(button.textContent!.trim()).toBe('Run the checks again');
  });

  it('keeps the last run when the view is opened again', async () => {
    const first = await render();
    first.button.click();
    checker.emit(row('no-typ'));
    checker.report({
      url: checker.url,
      method: 'GET',
      requiresNonce: true,
      strict: false,
      results: [row('no-typ')],
      passed: true,
    });
    await first.fixture.whenStable();
    first.fixture.destroy();

    const again = await render();
    expect(again.cells('no-typ').slice(3)).toEqual(['401 invalid_dpop_proof', 'pass']);
    expect(again.page.querySelector('[data-testid="summary"]')!.textContent).toContain(
      '1 checks: 1 pass',
    );
  });

  it('says why when the checks could not run', async () => {
    const { fixture, page, button } = await render();
    button.click();
    checker.fail(new Error('There is no access token for the API: sign in first.'));
    await fixture.whenStable();
    expect(page.querySelector('.alert-error')!.textContent).toContain(
      'The checks could not run: There is no access token for the API',
    );
  });
});
