import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { deleteDB } from 'idb';
import { base64url } from 'jose';

import { Auth } from '../auth/auth';
import { FakeAuth } from '../auth/testing/fake-auth';
import { KEY_DATABASE_NAME } from '../config/app-config';
import { provideDpop, withAllowList, withKeyStorage } from '@dpop-lab/angular';
import { DpopDevtools } from '@dpop-lab/angular/devtools';
import { signProof } from '@dpop-lab/protocol';

import { ExchangeLog } from './exchange-log';
import { Inspector } from './inspector';

const API = 'https://api.example.test/api/';
const USERS = `${API}users`;

class InspectorAuth extends FakeAuth {
  token: string | null = null;
  override peekAccessToken(): string | null {
    return this.token;
  }
}

describe('Inspector (real key store and proofs)', () => {
  const databaseName = KEY_DATABASE_NAME; // the name the page shows
  let auth: InspectorAuth;

  beforeEach(() => {
    auth = new InspectorAuth();
    auth.signInAs();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideDpop(
          withAllowList([{ url: API, resource: 'https://api.example.test/api' }]),
          withKeyStorage({ databaseName }),
        ),
        { provide: Auth, useValue: auth },
      ],
    });
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
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

  it('shows a request the interceptor handled, its proof decoded, and cnf.jkt and ath checked', async () => {
    const key = await TestBed.inject(DpopDevtools).key();
    const thumbprint = key.thumbprint;
    const part = (value: unknown) => base64url.encode(JSON.stringify(value));
    auth.token = `${part({ alg: 'ES256', typ: 'at+jwt' })}.${part({ cnf: { jkt: thumbprint } })}.sig`;
    const proof = await signProof(key, { htm: 'GET', htu: USERS, accessToken: auth.token });
    TestBed.inject(ExchangeLog).record({
      requestId: 'dpop-7',
      method: 'GET',
      url: USERS,
      status: 200,
      proof,
      scheme: 'DPoP',
    });
    const shown = await render();
    expect(shown.querySelector('h3')!.textContent).toContain(`GET ${USERS}`);
    expect(text(shown, 'proof-jwk-thumbprint')).toBe(thumbprint);
    expect(text(shown, 'token-cnf-jkt')).toBe(thumbprint);
    expect(shown.textContent).toContain("equals the key's thumbprint");
    expect(text(shown, 'proof-ath')).toBe(text(shown, 'recomputed-ath'));
    expect(shown.textContent).toContain('this is the token that was sent');
    const captions = Array.from(shown.querySelectorAll('caption'), (c) => c.textContent!.trim());
    expect(captions).toContain('DPoP proof: claims');
    expect(shown.textContent).toContain('RFC 9449 §4.2');
  });
});
