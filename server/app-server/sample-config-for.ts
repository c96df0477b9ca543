import { SAMPLES, type SampleName, type WorldConfig } from '../config.ts';

/**
 * A sample app's runtime configuration (projects/samples/<name>/public/config.json) for the
 * embedded world described by `config`: its client, the issuer, and the API with its RFC 8707
 * resource indicator. The redirect URI is the sample's own root page.
 */
export function sampleConfigFor(config: WorldConfig, name: SampleName) {
  return {
    issuer: config.issuer,
    clientId: SAMPLES[name].clientId,
    // No offline_access: oidc-provider grants it only with prompt=consent, and the embedded server
    // gives the samples refresh tokens anyway (clients.ts: issueRefreshToken).
    scopes: ['openid', 'profile', 'email', 'users:read'],
    api: { baseUrl: `${config.apiResource}/`, resource: config.apiResource },
  };
}
