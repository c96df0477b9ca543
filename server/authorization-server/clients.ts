/**
 * The statically registered clients: only the DPoP Lab single-page app. It is a public client
 * (a browser cannot keep a secret, RFC 9700 §2.1.1 / OAuth 2.1), so PKCE (RFC 7636, S256
 * only) protects its code and DPoP (RFC 9449) binds its tokens to the key the app keeps in
 * IndexedDB.
 */
import type { Client, ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';

import { SPA_CLIENT_ID, type WorldConfig } from '../config.ts';

export function spaClient(config: WorldConfig): ClientMetadata {
  return {
    client_id: SPA_CLIENT_ID,
    client_name: 'DPoP Lab',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${config.spaOrigin}/login/callback`],
    post_logout_redirect_uris: [`${config.spaOrigin}/`],
    // RFC 9449 §5.2: every access token issued to this client must be DPoP-bound; a token
    // request without a DPoP proof is refused with invalid_grant.
    dpop_bound_access_tokens: true,
    // ES256 keeps ID tokens small and lets the app verify them with the same code path as
    // DPoP; RS256 stays in the JWKS for clients that use the OIDC default.
    id_token_signed_response_alg: 'ES256',
  };
}

/** Clients we operate ourselves: the user is not asked to consent to them (see interactions.ts). */
export function isFirstPartyClient(clientId: string | undefined): boolean {
  return clientId === SPA_CLIENT_ID;
}

/**
 * `clientBasedCORS`: a browser may call the token, userinfo and revocation endpoints only
 * from the origin of one of the calling client's redirect URIs (the SPA's own origin).
 */
export function clientBasedCORS(_ctx: KoaContextWithOIDC, origin: string, client: Client): boolean {
  return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
}

/**
 * `issueRefreshToken`: oidc-provider drops `offline_access` from an authorization request
 * unless it also says `prompt=consent` (OIDC Core §11), and by default only issues refresh
 * tokens for `offline_access`. Our SPA gets one on every code exchange anyway: for a public
 * client oidc-provider binds the refresh token to the DPoP key of the exchange (RFC 9449 §5),
 * so a stolen refresh token is useless without the non-exportable key. Without
 * `offline_access` the refresh token still ends with the user's session (sign-out kills it).
 */
export function issueRefreshToken(
  _ctx: KoaContextWithOIDC,
  client: Client,
  source: { scopes: Set<string> },
): boolean {
  if (!client.grantTypeAllowed('refresh_token')) return false;
  return isFirstPartyClient(client.clientId) || source.scopes.has('offline_access');
}
