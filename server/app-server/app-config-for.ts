import { BEARER_CLIENT_ID, SPA_CLIENT_ID, type WorldConfig } from '../config.ts';

/**
 * The app's runtime configuration (the shape of src/app/config/app-config.ts) for the embedded
 * world described by `config`, so the served app follows the servers' ports and URLs.
 */
export function appConfigFor(config: WorldConfig) {
  return {
    issuer: config.issuer,
    clientId: SPA_CLIENT_ID,
    bearerClientId: BEARER_CLIENT_ID,
    scopes: ['openid', 'profile', 'email', 'offline_access', 'users:read', 'apps:read'],
    redirectPath: '/login/callback',
    postLogoutRedirectPath: '/',
    // Where the API answers (API_PUBLIC_URL) and what its tokens are for (API_AUDIENCE, RFC
    // 8707): the same URL unless API_AUDIENCE names another audience, such as `api://default`.
    api: { baseUrl: `${config.apiPublicUrl}/api/`, resource: config.apiResource },
  };
}
