/** The configuration and discovery document the sign-in tests run against. */
import { AppConfig } from '../../config/app-config';
import { OidcMetadata } from '../oidc-discovery';
import { Session } from '../session';

export const TEST_ISSUER = 'https://as.example.test';
export const TEST_API = 'https://api.example.test/api/';
export const TEST_RESOURCE = 'https://api.example.test/api';

export const TEST_CONFIG: AppConfig = {
  issuer: TEST_ISSUER,
  clientId: 'dpop-lab-spa',
  scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read'],
  redirectPath: '/login/callback',
  redirectUri: 'http://localhost:4200/login/callback',
  postLogoutRedirectPath: '/',
  postLogoutRedirectUri: 'http://localhost:4200/',
  api: { baseUrl: TEST_API, resource: TEST_RESOURCE },
};

export const TEST_METADATA: OidcMetadata = {
  issuer: TEST_ISSUER,
  authorization_endpoint: `${TEST_ISSUER}/auth`,
  token_endpoint: `${TEST_ISSUER}/token`,
  jwks_uri: `${TEST_ISSUER}/jwks`,
  userinfo_endpoint: `${TEST_ISSUER}/me`,
  end_session_endpoint: `${TEST_ISSUER}/session/end`,
  revocation_endpoint: `${TEST_ISSUER}/token/revocation`,
  code_challenge_methods_supported: ['S256'],
  dpop_signing_alg_values_supported: ['ES256', 'RS256'],
};

export const DISCOVERY_URL = `${TEST_ISSUER}/.well-known/openid-configuration`;
export const TOKEN_REQUEST = { method: 'POST', url: TEST_METADATA.token_endpoint };
export const REVOCATION_REQUEST = { method: 'POST', url: TEST_METADATA.revocation_endpoint! };

/** A whole session of alice (a signed-in state to store or compare), with `changes`. */
export function testSession(changes: Partial<Session> = {}): Session {
  return {
    jkt: 'thumbprint',
    signedInAt: 1,
    revision: 0,
    idToken: 'a.b.c',
    user: { sub: 'alice' },
    tokens: {},
    ...changes,
  };
}
