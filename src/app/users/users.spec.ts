import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Auth } from '../auth/auth';
import { nextRequest, TEST_API, TEST_CONFIG } from '../auth/testing/auth-testbed';
import { FakeAuth } from '../auth/testing/fake-auth';
import { APP_CONFIG } from '../config/app-config';
import { ExchangeLog } from '../inspector/exchange-log';
import { forgetLabRecords } from '../shared/lab-records';
import { Users } from './users';

describe('Users', () => {
  const endpoint = `${TEST_API}users`;
  let http: HttpTestingController;
  let fixture: ComponentFixture<Users>;
  let page: HTMLElement;
  let auth: FakeAuth;

  beforeEach(() => {
    forgetLabRecords();
    auth = new FakeAuth();
    auth.signInAs();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: APP_CONFIG, useValue: TEST_CONFIG },
        { provide: Auth, useValue: auth },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Users);
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => {
    http.verify();
    forgetLabRecords();
  });

  function button(name: string): HTMLButtonElement | undefined {
    return Array.from(page.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
  }

  it('shows Loading… in a busy region while GET <api>/users is under way', async () => {
    expect(page.querySelector('[aria-busy="true"]')!.textContent).toContain('Loading…');
    expect(page.querySelector('table')).toBeNull();
    (await nextRequest(http, endpoint)).flush([]);
    await fixture.whenStable();
    expect(page.querySelector('[aria-busy="true"]')).toBeNull();
  });

  it('lists the users in a table with a caption and column headers', async () => {
    (await nextRequest(http, endpoint)).flush({
      users: [
        { id: 'alice', name: 'Alice Anders', email: 'alice@example.com' },
        { id: 'bob', name: 'Bob Brandt', email: 'bob@example.com' },
      ],
    });
    await fixture.whenStable();
    const table = page.querySelector('table')!;
    expect(table.querySelector('caption')!.textContent).toContain(`GET ${endpoint}`);
    expect(Array.from(table.querySelectorAll('th[scope="col"]'), (th) => th.textContent)).toEqual([
      'Username',
      'Name',
      'Email',
    ]);
    const rows = Array.from(table.querySelectorAll('tbody tr'), (tr) =>
      Array.from(tr.querySelectorAll('td'), (td) => td.textContent),
    );
    expect(rows).toEqual([
      ['alice', 'Alice Anders', 'alice@example.com'],
      ['bob', 'Bob Brandt', 'bob@example.com'],
    ]);
  });

  it('accepts a plain array of users too', async () => {
    (await nextRequest(http, endpoint)).flush([{ sub: 'carol', name: 'Carol' }]);
    await fixture.whenStable();
    expect(page.querySelector('tbody td')!.textContent).toBe('carol');
  });

  it("shows the API's error and error_description (403 insufficient_scope) as an alert", async () => {
    (await nextRequest(http, endpoint)).flush(null, {
      status: 403,
      statusText: 'Forbidden',
      headers: {
        'WWW-Authenticate':
          'DPoP error="insufficient_scope", error_description="users:read is required"',
      },
    });
    await fixture.whenStable();
    const alert = page.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain(
      `The API at ${TEST_API} refused the request (403 Forbidden).`,
    );
    expect(alert.textContent).toContain('insufficient_scope');
    expect(alert.textContent).toContain('users:read is required');
    expect(page.querySelector('table')).toBeNull();
  });

  it('says the API did not answer when it is down, and tries again on request', async () => {
    (await nextRequest(http, endpoint)).error(new ProgressEvent('error'), { status: 0 });
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')!.textContent).toContain(
      `The API at ${TEST_API} did not answer: is it running? (npm start)`,
    );
    button('Try again')!.click();
    (await nextRequest(http, endpoint)).flush([{ id: 'alice' }]);
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(page.querySelector('tbody td')!.textContent).toBe('alice');
  });

  it('says what the API checks, and what cnf.jkt is, with this key’s thumbprint', async () => {
    (await nextRequest(http, endpoint)).flush([]);
    await fixture.whenStable();
    expect(page.textContent).toContain(
      'the API checks the proof, its nonce and the token’s binding',
    );
    const explained = page.querySelector('[data-testid="cnf-jkt-explained"]')!.textContent!;
    expect(explained).toContain('cnf.jkt');
    expect(explained).toContain('fingerprint of this browser’s public key');
    expect(explained).toContain('test-key-thumbprint');
  });

  it('tells what DPoP did on the call — nonce challenge, retry, 200 — and links to it in the Inspector', async () => {
    (await nextRequest(http, endpoint)).flush([]);
    const log = TestBed.inject(ExchangeLog);
    const exchange = { method: 'GET', url: endpoint, proof: 'p.r.f', scheme: 'DPoP' as const };
    log.record({
      ...exchange,
      requestId: 5,
      status: 401,
      error: 'use_dpop_nonce',
      nonce: 'n',
      at: 1,
    });
    log.record({ ...exchange, requestId: 5, status: 200, retryReason: 'use_dpop_nonce', at: 2 });
    await fixture.whenStable();
    const steps = Array.from(page.querySelectorAll('[data-testid="call-story"] li'), (li) =>
      li.textContent!.trim(),
    );
    expect(steps.length).toBe(4);
    expect(steps[0]).toMatch(/^The app signed a DPoP proof for GET \/api\/users/);
    expect(steps[1]).toMatch(/^The API answered 401 use_dpop_nonce/);
    expect(steps[2]).toContain('with the server’s nonce');
    expect(steps[3]).toMatch(/^The API answered 200: .*cnf\.jkt is this key’s thumbprint/);
    const link = Array.from(page.querySelectorAll('a')).find((a) =>
      a.textContent!.includes('See this exchange in the Inspector'),
    )!;
    expect(link.getAttribute('href')).toMatch(/^\/inspector#request-.+-5$/);
  });
});
