import { AuthorizationRequest, buildAuthorizationUrl } from './authorization-request';

describe('buildAuthorizationUrl', () => {
  const request: AuthorizationRequest = {
    authorizationEndpoint: 'https://as.example.test/auth',
    clientId: 'dpop-lab-spa',
    redirectUri: 'http://localhost:4200/login/callback',
    scopes: ['openid', 'profile', 'users:read'],
    state: 'the-state',
    nonce: 'the-nonce',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    dpopJkt: 'the-thumbprint',
    resources: ['https://api.example.test/api'],
  };

  it('asks for a code with PKCE S256, state, nonce, dpop_jkt and the resource', () => {
    const url = new URL(buildAuthorizationUrl(request));
    const params = url.searchParams;
    expect(url.origin + url.pathname).toBe('https://as.example.test/auth');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('dpop-lab-spa');
    expect(params.get('redirect_uri')).toBe('http://localhost:4200/login/callback');
    expect(params.get('scope')).toBe('openid profile users:read');
    expect(params.get('state')).toBe('the-state');
    expect(params.get('nonce')).toBe('the-nonce');
    expect(params.get('code_challenge')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('dpop_jkt')).toBe('the-thumbprint');
    expect(params.getAll('resource')).toEqual(['https://api.example.test/api']);
  });

  it('sends one resource parameter per indicator, and none without indicators', () => {
    const two = new URL(
      buildAuthorizationUrl({ ...request, resources: ['https://a.test/', 'https://b.test/'] }),
    );
    expect(two.searchParams.getAll('resource')).toEqual(['https://a.test/', 'https://b.test/']);
    const none = new URL(buildAuthorizationUrl({ ...request, resources: [] }));
    expect(none.searchParams.has('resource')).toBeFalse();
  });

  it('keeps query parameters the authorization endpoint already has', () => {
    const url = new URL(
      buildAuthorizationUrl({ ...request, authorizationEndpoint: 'https://as.test/auth?tenant=x' }),
    );
    expect(url.searchParams.get('tenant')).toBe('x');
    expect(url.searchParams.get('response_type')).toBe('code');
  });
});
