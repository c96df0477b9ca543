/**
 * The clients of the sample apps (projects/samples/): one per OIDC library that signs in with
 * DPoP through @dpop-lab/angular. Each is a public client like the lab's own SPA — PKCE S256
 * (RFC 7636), DPoP-bound access and refresh tokens (RFC 9449 §5) — on its own origin
 * (SAMPLE_OAUTH2_OIDC_ORIGIN, SAMPLE_AUTH_OIDC_CLIENT_ORIGIN), with the app's root page as its
 * redirect URI: neither sample has a router.
 *
 * They are first-party clients: consent is granted at once and they get a refresh token without
 * asking for `offline_access` (clients.ts), as the SPA does.
 */
import type { ClientMetadata } from 'oidc-provider';

import { SAMPLE_NAMES, SAMPLES, type SampleName, type WorldConfig } from '../config.ts';

const SAMPLE_LIBRARIES: Record<SampleName, string> = {
  'oauth2-oidc': 'angular-oauth2-oidc',
  'auth-oidc-client': 'angular-auth-oidc-client',
};

export function sampleClients(config: WorldConfig): ClientMetadata[] {
  return SAMPLE_NAMES.map((name) => {
    const root = `${config.sampleOrigins[name]}/`;
    return {
      client_id: SAMPLES[name].clientId,
      client_name: `DPoP Lab sample (${SAMPLE_LIBRARIES[name]})`,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [root],
      post_logout_redirect_uris: [root],
      // RFC 9449 §5.2: a token request without a DPoP proof is refused, never answered with
      // bearer tokens.
      dpop_bound_access_tokens: true,
    };
  });
}

export function isSampleClient(clientId: string | undefined): boolean {
  return SAMPLE_NAMES.some((name) => SAMPLES[name].clientId === clientId);
}
