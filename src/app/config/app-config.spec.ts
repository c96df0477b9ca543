import { ConfigError, validateConfig } from './app-config';

describe('validateConfig', () => {
  const origin = 'http://localhost:4200';
  const valid = {
    issuer: 'http://localhost:3000',
    clientId: 'dpop-lab-spa',
    scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read', 'apps:read'],
    redirectPath: '/login/callback',
    postLogoutRedirectPath: '/',
    api: { baseUrl: 'http://localhost:3001/api/', resource: 'http://localhost:3001/api' },
  };

  function problems(raw: unknown): string {
    try {
      validateConfig(raw, origin);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).message;
    }
    throw new Error('the configuration was accepted');
  }

  it('accepts the shipped configuration and resolves the paths against the page origin', () => {
    const config = validateConfig(valid, origin);
    expect(config.redirectUri).toBe('http://localhost:4200/login/callback');
    expect(config.postLogoutRedirectUri).toBe('http://localhost:4200/');
    expect(config.api).toEqual(valid.api);
    expect(config.scopes).toEqual(valid.scopes);
  });

  it('keeps the issuer exactly as written (OIDC Discovery §4.3) and adds a slash to the API prefix', () => {
    for (const issuer of [
      'https://TENANT.auth0.com/',
      'https://idp.test/oauth2/default',
      'https://idp.test/realms/dpop-lab',
      'https://idp.test/oauth2/token',
    ]) {
      expect(validateConfig({ ...valid, issuer }, origin).issuer).toBe(issuer);
    }
    const config = validateConfig({ ...valid, api: { baseUrl: 'https://api.test/api' } }, origin);
    expect(config.api.baseUrl).toBe('https://api.test/api/');
    expect(config.api.resource).toBeUndefined();
  });

  it('names a missing field', () => {
    const withoutIssuer: Partial<typeof valid> = { ...valid };
    delete withoutIssuer.issuer;
    expect(problems(withoutIssuer)).toBe('config.json is not valid: "issuer" is missing.');
  });

  it('names a field that is not an absolute URL', () => {
    expect(problems({ ...valid, issuer: 'localhost:3000' })).toContain(
      '"issuer" must be an absolute http(s) URL, got "localhost:3000".',
    );
    expect(problems({ ...valid, api: { ...valid.api, baseUrl: '/api/' } })).toContain(
      '"api.baseUrl" must be an absolute http(s) URL',
    );
    expect(problems({ ...valid, api: { ...valid.api, resource: 'urn:x#y' } })).toContain(
      '"api.resource"',
    );
  });

  it('requires openid among the scopes, given as an array', () => {
    expect(problems({ ...valid, scopes: ['profile'] })).toContain('"scopes" must include "openid"');
    expect(problems({ ...valid, scopes: 'openid profile' })).toContain(
      '"scopes" must be a non-empty array',
    );
  });

  it('requires the redirect paths to be paths on this site', () => {
    expect(problems({ ...valid, redirectPath: 'https://evil.test/cb' })).toContain(
      '"redirectPath" must be a path on this site starting with "/"',
    );
    expect(problems({ ...valid, postLogoutRedirectPath: '//evil.test' })).toContain(
      '"postLogoutRedirectPath"',
    );
  });

  it('requires an api object', () => {
    const withoutApi: Partial<typeof valid> = { ...valid };
    delete withoutApi.api;
    expect(problems(withoutApi)).toContain('"api" is missing');
    expect(problems({ ...valid, api: 'http://localhost:3001/api/' })).toContain(
      '"api" must be an object',
    );
  });

  it('lists every bad field at once', () => {
    const message = problems({ ...valid, clientId: '', redirectPath: 'callback' });
    expect(message).toContain('2 problems');
    expect(message).toContain('"clientId" must be a non-empty string.');
    expect(message).toContain('"redirectPath"');
  });

  it('refuses something that is not a JSON object', () => {
    expect(problems([])).toContain('must hold a JSON object');
    expect(problems(null)).toContain('must hold a JSON object');
  });
});
