import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { APP_CONFIG } from '../config/app-config';
import { reportCspBlock } from '../config/testing/report-csp-block';
import { watchCspViolations } from '../config/csp-violations';
import { AuthError } from './auth-error';
import { DISCOVERY_URL, TEST_CONFIG, TEST_ISSUER, TEST_METADATA } from './testing/test-config';
import { discoveryUrlOf, OidcDiscovery } from './oidc-discovery';

describe('OidcDiscovery', () => {
  let discovery: OidcDiscovery;
  let http: HttpTestingController;

  function configure(issuer = TEST_CONFIG.issuer): void {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        { provide: APP_CONFIG, useValue: { ...TEST_CONFIG, issuer } },
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    discovery = TestBed.inject(OidcDiscovery);
    http = TestBed.inject(HttpTestingController);
  }

  beforeEach(() => configure());

  afterEach(() => http.verify());

  async function failure(answer: () => void): Promise<AuthError> {
    const result = discovery.metadata();
    answer();
    try {
      await result;
    } catch (error) {
      expect(error).toBeInstanceOf(AuthError);
      return error as AuthError;
    }
    throw new Error('discovery succeeded');
  }

  it('loads <issuer>/.well-known/openid-configuration once and caches it', async () => {
    const first = discovery.metadata();
    const second = discovery.metadata();
    http.expectOne(DISCOVERY_URL).flush(TEST_METADATA);
    expect(await first).toEqual(TEST_METADATA);
    expect(await second).toEqual(TEST_METADATA);
  });

  it('says the authorization server did not answer, and how to start it', async () => {
    const error = await failure(() =>
      http.expectOne(DISCOVERY_URL).error(new ProgressEvent('error'), { status: 0 }),
    );
    expect(error.code).toBe('discovery_unreachable');
    expect(error.message).toBe(
      `The authorization server at ${TEST_ISSUER} did not answer: is it running? (npm start)`,
    );
  });

  it('says the page’s CSP does not allow the authorization server, and what to add', async () => {
    // An issuer of its own: the page's record of blocked origins lasts as long as the page.
    const issuer = 'https://blocked.example.test/realms/lab';
    configure(issuer);
    watchCspViolations();
    const error = await failure(() => {
      http.expectOne(discoveryUrlOf(issuer)).error(new ProgressEvent('error'), { status: 0 });
      // What Chromium reports a moment after it refused the call.
      setTimeout(() => reportCspBlock(discoveryUrlOf(issuer)));
    });
    expect(error.code).toBe('discovery_blocked');
    expect(error.message).toContain(
      `The authorization server at ${issuer} is not allowed by this page's Content-Security-Policy`,
    );
    expect(error.message).toContain('Add https://blocked.example.test to its connect-src');
  });

  it('tries again after a failure instead of caching it', async () => {
    await failure(() =>
      http.expectOne(DISCOVERY_URL).error(new ProgressEvent('error'), { status: 0 }),
    );
    const retry = discovery.metadata();
    http.expectOne(DISCOVERY_URL).flush(TEST_METADATA);
    expect((await retry).issuer).toBe(TEST_ISSUER);
  });

  it('names the status when discovery answers with an error', async () => {
    const error = await failure(() =>
      http.expectOne(DISCOVERY_URL).flush('no', { status: 404, statusText: 'Not Found' }),
    );
    expect(error.code).toBe('discovery_failed');
    expect(error.message).toContain('404');
  });

  it('refuses a server that does not advertise DPoP (no dpop_signing_alg_values_supported)', async () => {
    const withoutDpop: Partial<typeof TEST_METADATA> = { ...TEST_METADATA };
    delete withoutDpop.dpop_signing_alg_values_supported;
    const error = await failure(() => http.expectOne(DISCOVERY_URL).flush(withoutDpop));
    expect(error.code).toBe('dpop_not_supported');
    expect(error.message).toContain('does not do DPoP');
  });

  it('accepts a server without ES256: the key algorithm is negotiated at sign-in (DpopAlgorithms)', async () => {
    const metadata = discovery.metadata();
    http
      .expectOne(DISCOVERY_URL)
      .flush({ ...TEST_METADATA, dpop_signing_alg_values_supported: ['RS256', 'PS256'] });
    expect((await metadata).dpop_signing_alg_values_supported).toEqual(['RS256', 'PS256']);
  });

  it('refuses a document that names another issuer, showing both (OIDC Discovery §4.3)', async () => {
    const error = await failure(() =>
      http.expectOne(DISCOVERY_URL).flush({ ...TEST_METADATA, issuer: 'https://other.test' }),
    );
    expect(error.code).toBe('discovery_invalid');
    expect(error.message).toContain('the issuer "https://other.test"');
    expect(error.message).toContain(`config.json says "${TEST_ISSUER}"`);
  });

  // Each provider's issuer form, where its discovery document lives (§4: one trailing "/" goes,
  // the path stays), and the document's issuer compared as written (§4.3).
  const PROVIDERS = [
    ['Auth0', 'https://tenant.auth0.test/', 'https://tenant.auth0.test'],
    ['Okta', 'https://okta.test/oauth2/default', 'https://okta.test/oauth2/default'],
    ['Keycloak', 'https://kc.test/realms/dpop-lab', 'https://kc.test/realms/dpop-lab'],
    ['WSO2 IS', 'https://wso2.test/oauth2/token', 'https://wso2.test/oauth2/token'],
    ['a path with a trailing "/"', 'https://idp.test/tenant/', 'https://idp.test/tenant'],
  ] as const;

  for (const [provider, issuer, base] of PROVIDERS) {
    it(`${provider}: reads ${base}/.well-known/openid-configuration and takes the issuer ${issuer}`, async () => {
      configure(issuer);
      expect(discoveryUrlOf(issuer)).toBe(`${base}/.well-known/openid-configuration`);
      const metadata = discovery.metadata();
      http
        .expectOne(`${base}/.well-known/openid-configuration`)
        .flush({ ...TEST_METADATA, issuer });
      expect((await metadata).issuer).toBe(issuer);
    });
  }

  it('refuses an issuer that differs only in the trailing slash, and says so (Auth0)', async () => {
    configure('https://tenant.auth0.test');
    const error = await failure(() =>
      http
        .expectOne('https://tenant.auth0.test/.well-known/openid-configuration')
        .flush({ ...TEST_METADATA, issuer: 'https://tenant.auth0.test/' }),
    );
    expect(error.message).toBe(
      'The discovery document at https://tenant.auth0.test/.well-known/openid-configuration ' +
        'names the issuer "https://tenant.auth0.test/", but config.json says ' +
        '"https://tenant.auth0.test": the two must be identical (OpenID Connect Discovery §4.3). ' +
        'They differ only in the trailing "/", which counts. ' +
        'Copy the document\'s "issuer" into config.json.',
    );
  });

  it('refuses a server without PKCE S256', async () => {
    const error = await failure(() =>
      http
        .expectOne(DISCOVERY_URL)
        .flush({ ...TEST_METADATA, code_challenge_methods_supported: ['plain'] }),
    );
    expect(error.message).toContain('S256');
  });
});
