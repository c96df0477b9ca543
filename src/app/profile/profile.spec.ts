import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Auth } from '../auth/auth';
import { nextRequest, TEST_METADATA } from '../auth/testing/auth-testbed';
import { FakeAuth } from '../auth/testing/fake-auth';
import { Profile } from './profile';

describe('Profile', () => {
  const userinfo = TEST_METADATA.userinfo_endpoint!;
  let http: HttpTestingController;
  let fixture: ComponentFixture<Profile>;
  let page: HTMLElement;

  beforeEach(() => {
    const auth = new FakeAuth();
    auth.signInAs();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Auth, useValue: auth },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Profile);
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function button(name: string): HTMLButtonElement | undefined {
    return Array.from(page.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
  }

  it('shows Loading… in a busy region until userinfo answers', async () => {
    expect(page.querySelector('[aria-busy="true"]')!.textContent).toContain('Loading…');
    (await nextRequest(http, userinfo)).flush({ sub: 'alice' });
    await fixture.whenStable();
    expect(page.querySelector('[aria-busy="true"]')).toBeNull();
    expect(page.textContent).not.toContain('Loading…');
  });

  it('lists the userinfo claims in a description list', async () => {
    const request = await nextRequest(http, userinfo);
    expect(request.request.method).toBe('GET');
    request.flush({ sub: 'alice', name: 'Alice Anders', email_verified: true });
    await fixture.whenStable();
    const terms = Array.from(page.querySelectorAll('dl dt'), (dt) => dt.textContent?.trim());
    const values = Array.from(page.querySelectorAll('dl dd'), (dd) => dd.textContent?.trim());
    expect(terms).toEqual(['sub', 'name', 'email_verified']);
    expect(values).toEqual(['alice', 'Alice Anders', 'true']);
  });

  it("shows the server's error and error_description from WWW-Authenticate, and can try again", async () => {
    (await nextRequest(http, userinfo)).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: {
        'WWW-Authenticate': 'DPoP error="invalid_token", error_description="token is expired"',
      },
    });
    await fixture.whenStable();
    const alert = page.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('refused the request (401 Unauthorized)');
    expect(alert.textContent).toContain('invalid_token');
    expect(alert.textContent).toContain('token is expired');
    expect(alert.textContent).not.toMatch(/\bat \S+ \(/); // no stack trace

    button('Try again')!.click();
    (await nextRequest(http, userinfo)).flush({ sub: 'alice' });
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(page.querySelector('dl dd')!.textContent).toBe('alice');
  });
});
