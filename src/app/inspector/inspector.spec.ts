import { provideHttpClient } from '@angular/common/http';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { deleteDB } from 'idb';
import { base64url } from 'jose';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { TEST_CONFIG } from '../auth/testing/test-config';
import { APP_CONFIG, KEY_DATABASE_NAME } from '../config/app-config';
import { forgetLabRecords } from '../shared/lab-records';
import { provideDpop, withAllowList, withKeyStorage } from '@dpop-lab/angular';
import { DpopDevtools } from '@dpop-lab/angular/devtools';
import { signProof } from '@dpop-lab/protocol';

import { RequestPurposes } from '../shared/request-purpose';
import { ExchangeLog } from './exchange-log';
import { Inspector } from './inspector';

const API = TEST_CONFIG.api.baseUrl;
const USERS = `${API}users`;
const TOKEN_ENDPOINT = 'https://as.example.test/token';
/** The request ids this page load's log gives (ExchangeLog). */
const PAGE = Math.round(performance.timeOrigin).toString(36);

class InspectorAuth extends FakeAuth {
  token: string | null = null;
  override peekAccessToken(): string | null {
    return this.token;
  }
}

describe('Inspector (real key store and proofs)', () => {
  const databaseName = KEY_DATABASE_NAME; // the name the page shows
  let auth: InspectorAuth;

  function configure(): void {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'inspector', component: Inspector }]),
        provideHttpClient(),
        provideDpop(
          withAllowList([{ url: API, resource: TEST_CONFIG.api.resource }]),
          withKeyStorage({ databaseName }),
        ),
        { provide: Auth, useValue: auth },
        { provide: APP_CONFIG, useValue: TEST_CONFIG },
      ],
    });
  }

  beforeEach(() => {
    forgetLabRecords();
    auth = new InspectorAuth();
    auth.signInAs();
    configure();
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    forgetLabRecords();
    await deleteDB(databaseName);
  });

  async function render(): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(Inspector);
    await fixture.whenStable();
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  const text = (page: HTMLElement, testId: string) =>
    page.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();

  it('shows the key: thumbprint, not extractable, stored in IndexedDB; and says decoding is not verifying', async () => {
    const { thumbprint } = await TestBed.inject(DpopDevtools).key();
    const page = await render();
    expect(text(page, 'key-thumbprint')).toBe(thumbprint);
    expect(text(page, 'key-extractable')).toBe('false');
    expect(page.textContent).toContain(`IndexedDB, database "${databaseName}"`);
    expect(page.textContent).toContain('Decoded, not verified');
    expect(page.textContent).toContain('No requests yet');
  });

  /** A users call the interceptor answered, with a real proof of the key and a bound token. */
  async function logUsersCall(requestId = 7): Promise<string> {
    const key = await TestBed.inject(DpopDevtools).key();
    const part = (value: unknown) => base64url.encode(JSON.stringify(value));
    auth.token = `${part({ alg: 'ES256', typ: 'at+jwt' })}.${part({ cnf: { jkt: key.thumbprint } })}.sig`;
    const proof = await signProof(key, { htm: 'GET', htu: USERS, accessToken: auth.token });
    TestBed.inject(ExchangeLog).record({
      requestId,
      method: 'GET',
      url: USERS,
      status: 200,
      proof,
      scheme: 'DPoP',
      at: Date.now(),
    });
    return proof;
  }

  it('shows a request the interceptor handled, its proof decoded, and cnf.jkt and ath checked', async () => {
    const { thumbprint } = await TestBed.inject(DpopDevtools).key();
    await logUsersCall();
    const shown = await render();
    expect(shown.querySelector('h4')!.textContent).toContain('The API: GET /api/users');
    expect(shown.querySelector('.request-line')!.textContent).toContain(`GET ${USERS}`);
    expect(text(shown, 'proof-jwk-thumbprint')).toBe(thumbprint);
    expect(text(shown, 'token-cnf-jkt')).toBe(thumbprint);
    expect(shown.textContent).toContain("equals the key's thumbprint");
    expect(text(shown, 'proof-ath')).toBe(text(shown, 'recomputed-ath'));
    expect(shown.textContent).toContain('this is the token that was sent');
    const captions = Array.from(shown.querySelectorAll('caption'), (c) => c.textContent!.trim());
    expect(captions).toContain('DPoP proof: claims');
    expect(shown.textContent).toContain('RFC 9449 §4.2');
  });

  it("groups requests under the user's action and tells two POST /token apart", async () => {
    const key = await TestBed.inject(DpopDevtools).key();
    const purposes = TestBed.inject(RequestPurposes);
    const log = TestBed.inject(ExchangeLog);
    for (const [requestId, kind] of [
      [1, 'code-exchange'],
      [2, 'refresh'],
    ] as const) {
      const proof = await signProof(key, { htm: 'POST', htu: TOKEN_ENDPOINT });
      purposes.record(proof, { kind, resource: TEST_CONFIG.api.resource });
      log.record({
        requestId,
        method: 'POST',
        url: TOKEN_ENDPOINT,
        status: 200,
        proof,
        scheme: null,
        at: Date.now(),
      });
    }
    const shown = await render();
    expect(Array.from(shown.querySelectorAll('h4'), (h) => h.textContent!.trim())).toEqual([
      'Refresh: a new token for the API → 200',
      'Sign-in: the code exchange → 200',
    ]);
    expect(shown.querySelector('.action h3')!.textContent).toContain('On the home page');
  });

  it('shows the raw proof and token, each with a copy control that says it copied', async () => {
    const proof = await logUsersCall();
    const shown = await render();
    expect(text(shown, 'raw-proof')).toBe(proof);
    expect(text(shown, 'raw-token')).toBe(auth.token!);
    const write = spyOn(navigator.clipboard, 'writeText').and.resolveTo();
    const copy = Array.from(shown.querySelectorAll('button')).find(
      (b) => b.textContent!.trim() === 'Copy the proof',
    )!;
    copy.click();
    await new Promise((resolve) => setTimeout(resolve));
    await TestBed.inject(ApplicationRef).whenStable();
    expect(write).toHaveBeenCalledOnceWith(proof);
    expect(copy.parentElement!.querySelector('[role="status"]')!.textContent).toBe('Copied.');
  });

  it('keeps the log for the tab: a reload shows the same requests, never an access token', async () => {
    const proof = await logUsersCall();
    const stored = Object.entries(sessionStorage).filter(([name]) =>
      name.startsWith('dpop-lab.lab.'),
    );
    expect(stored.map(([name]) => name)).toEqual(['dpop-lab.lab.exchanges']);
    expect(stored[0][1]).toContain(proof);
    expect(stored[0][1]).not.toContain(auth.token!);

    TestBed.resetTestingModule(); // a reload: new services, the same tab
    configure();
    const shown = await render();
    expect(shown.querySelector('h4')!.textContent).toContain('The API: GET /api/users');
  });

  it('opens and focuses the request a link names (#request-<id>)', async () => {
    await logUsersCall(3);
    await logUsersCall(4);
    const harness = await RouterTestingHarness.create();
    document.body.append(harness.fixture.nativeElement as HTMLElement);
    await harness.navigateByUrl(`/inspector#request-${PAGE}-3`);
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    const wanted = document.getElementById(`request-${PAGE}-3`)!;
    expect(document.activeElement).toBe(wanted);
    expect(wanted.querySelector('details')!.open).toBeTrue();
    (harness.fixture.nativeElement as HTMLElement).remove();
  });
});
