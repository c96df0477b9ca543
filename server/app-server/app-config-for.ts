import { BEARER_CLIENT_ID, SPA_CLIENT_ID, type WorldConfig } from '../config.ts';

/**
 * The app's runtime configuration (the shape of public/config.json) for the embedded world
 * described by `config`, so a served build follows the servers' ports and URLs.
 */
export function appConfigFor(config: WorldConfig) {
  return {
    issuer: config.issuer,
    clientId: SPA_CLIENT_ID,
    bearerClientId: BEARER_CLIENT_ID,
    scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read', 'apps:read'],
    redirectPath: '/login/callback',
    postLogoutRedirectPath: '/',
    api: { baseUrl: `${config.apiResource}/`, resource: config.apiResource },
  };
}
