/**
 * The statically registered clients:
 * - `dpop-lab-spa`, the DPoP Lab single-page app. It is a public client (a browser cannot keep
 *   a secret, RFC 9700 §2.1.1 / OAuth 2.1), so PKCE (RFC 7636, S256 only) protects its code and
 *   DPoP (RFC 9449) binds its tokens to the key the app keeps in IndexedDB.
 * - `dpop-lab-bearer`, the app's comparison with plain bearer tokens: PKCE and its own redirect
 *   URI (`/bearer/callback`), but no DPoP, so its tokens are unbound Bearer tokens that anyone
 *   holding them can replay. The API accepts unbound tokens from this client only.
 * - `dpop-lab-service`, a confidential machine-to-machine client: client credentials
 *   (RFC 6749 §4.4) with DPoP-bound tokens, for `npm run service` and docs/walkthrough.md's curl steps.
 * - `dpop-lab-cli`, a public native client: a user's sign-in from the command line
 *   (`npm run conformance -- --sign-in`, openid-client in docs/other-clients.md) through a
 *   loopback redirect, with PKCE and DPoP-bound tokens.
 * - `dpop-lab-api`, the resource API itself: a confidential client that only introspects the
 *   API's opaque tokens (RFC 7662), when AS_API_TOKEN_FORMAT=opaque.
 */
import type { Client, ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';

import {
  API_CLIENT,
  BEARER_CLIENT_ID,
  CLI_CLIENT_ID,
  SERVICE_CLIENT,
  SPA_CLIENT_ID,
  type WorldConfig,
} from '../config.ts';
import { isSampleClient } from './sample-clients.ts';

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

/**
 * The SPA's bearer twin: a public client without `dpop_bound_access_tokens`. A token request
 * without a DPoP proof gets `token_type: Bearer` (RFC 6750); the app sends none for this client.
 */
export function bearerClient(config: WorldConfig): ClientMetadata {
  return {
    ...spaClient(config),
    client_id: BEARER_CLIENT_ID,
    client_name: 'DPoP Lab (plain bearer tokens)',
    // Its own callback: the app's comparison holds this token beside the DPoP session.
    redirect_uris: [`${config.spaOrigin}/bearer/callback`],
    dpop_bound_access_tokens: false,
  };
}

/**
 * The machine-to-machine client: authenticates with its secret (HTTP Basic), gets tokens with
 * `grant_type=client_credentials`, always DPoP-bound. Its API scope is limited to `apps:read`
 * (resource-indicators.ts).
 */
export function serviceClient(): ClientMetadata {
  return {
    client_id: SERVICE_CLIENT.id,
    client_secret: SERVICE_CLIENT.secret,
    client_name: 'DPoP Lab service',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    dpop_bound_access_tokens: true,
  };
}

/**
 * The command line's client (RFC 8252, OAuth for native apps): public, so PKCE (S256) protects
 * its code and DPoP binds its tokens, the code too (`dpop_jkt`, RFC 9449 §10). It receives the
 * code on a loopback redirect, `http://127.0.0.1:<any port>/callback` (RFC 8252 §7.3): for a
 * native client oidc-provider compares a loopback redirect URI without its port, so the program
 * can listen on whatever port is free.
 *
 * Any program on the machine can use this client ID (RFC 8252 §8.6), so the user is asked before
 * it gets a grant (consentFor), and it gets a refresh token only when it asks for one with
 * `offline_access` (issueRefreshToken).
 */
export function cliClient(): ClientMetadata {
  return {
    client_id: CLI_CLIENT_ID,
    client_name: 'DPoP Lab command line',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
    // RFC 9449 §5.2: a token request without a DPoP proof is refused.
    dpop_bound_access_tokens: true,
  };
}

/**
 * The resource API's client: it authenticates with its secret (HTTP Basic) at the introspection
 * endpoint and can do nothing else (no grant types, no redirect URIs), so its credentials can
 * only ever reveal what the API is allowed to know about its own tokens.
 */
export function apiClient(): ClientMetadata {
  return {
    client_id: API_CLIENT.id,
    client_secret: API_CLIENT.secret,
    client_name: 'DPoP Lab resource API',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  };
}

/** Clients we operate ourselves: they get a refresh token without asking for `offline_access`. */
function isFirstPartyClient(clientId: string | undefined): boolean {
  return clientId === SPA_CLIENT_ID || clientId === BEARER_CLIENT_ID || isSampleClient(clientId);
}

/**
 * The consent step per client (consent.ts): the DPoP app and the DPoP sample apps
 * (sample-clients.ts) are granted at once; the plain-bearer
 * client asks the user on a page, once per session, because its tokens (the refresh token
 * included) work for anyone who copies them — a script in the page could otherwise run a sign-in
 * in a popup and leave with them; the command line's client asks too, because any program on
 * the machine can claim its name (RFC 8252 §8.6); any other client is refused.
 */
export function consentFor(clientId: string | undefined): 'grant' | 'ask' | 'refuse' {
  if (clientId === SPA_CLIENT_ID || isSampleClient(clientId)) return 'grant';
  return clientId === BEARER_CLIENT_ID || clientId === CLI_CLIENT_ID ? 'ask' : 'refuse';
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
