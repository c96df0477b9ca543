/**
 * oidc-provider's configuration for the DPoP world: one public SPA client, PKCE S256,
 * DPoP-bound tokens with server nonces, refresh tokens, RFC 8707 resource indicators with
 * RFC 9068 JWT access tokens for the API, our own login and sign-out pages.
 */
import type { Adapter, Configuration, GrantSource } from 'oidc-provider';

import { API_CLIENT, type WorldConfig } from '../config.ts';
import { findAccount, SCOPE_CLAIMS } from './accounts.ts';
import {
  apiClient,
  bearerClient,
  cliClient,
  clientBasedCORS,
  issueRefreshToken,
  serviceClient,
  spaClient,
} from './clients.ts';
import { requireDpopNonce } from './dpop-nonce.ts';
import { renderError } from './error-page.ts';
import type { AuthorizationServerSecrets } from './keys.ts';
import { logoutSource, postLogoutSuccessSource } from './logout-pages.ts';
import { resourceIndicators } from './resource-indicators.ts';
import { revocationAllowed } from './revocation-policy.ts';
import { sampleClients } from './sample-clients.ts';

/** Token and session lifetimes in seconds. */
export const DEFAULT_TTL = {
  /** Short, so the app's refresh path is exercised; overridden by ACCESS_TOKEN_TTL. */
  accessToken: 5 * 60,
  idToken: 10 * 60,
  authorizationCode: 60,
  interaction: 15 * 60,
  refreshToken: 24 * 60 * 60,
  session: 24 * 60 * 60,
} as const;

export interface ProviderConfigurationOptions {
  config: WorldConfig;
  secrets: AuthorizationServerSecrets;
  accessTokenTtl?: number;
  /** Where sessions, grants and tokens are kept (file-adapter.ts); default oidc-provider's in-memory store. */
  adapter?: new (name: string) => Adapter;
}

export function providerConfiguration({
  config,
  secrets,
  accessTokenTtl = config.accessTokenTtl ?? DEFAULT_TTL.accessToken,
  adapter,
}: ProviderConfigurationOptions): Configuration {
  const accessTokenLifetime = (_ctx: unknown, token: GrantSource) =>
    token.resourceServer?.accessTokenTTL ?? accessTokenTtl;
  return {
    adapter,
    clients: [
      spaClient(config),
      bearerClient(config),
      serviceClient(),
      cliClient(),
      apiClient(),
      ...sampleClients(config),
    ],
    // The authorization code flow only: no implicit or hybrid responses (RFC 9700 §2.1.2).
    responseTypes: ['code'],
    jwks: { keys: secrets.jwks.keys as Record<string, unknown>[] },
    // Signed cookies (Koa keygrip). `secure` is left to Koa, which sets it only on https:
    // the lab runs on http://localhost, where a Secure cookie would be dropped.
    cookies: {
      keys: secrets.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    findAccount,
    claims: SCOPE_CLAIMS,
    // OIDC scopes; the API's scopes (users:read apps:read) belong to its resource server
    // (resource-indicators.ts), so they never end up in a userinfo token.
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    clientBasedCORS,
    issueRefreshToken,
    // Rotation on every use, as Okta and Auth0 do for single-page apps (RFC 9700 §4.14.2): the
    // refresh token grant consumes the token it gets and answers with a new one; oidc-provider
    // revokes the whole grant when a consumed token comes back (lib/actions/grants/refresh_token.js).
    // Off: oidc-provider's default, which rotates a DPoP-bound token only after 70 % of its life.
    ...(config.asRotateRefreshTokens ? { rotateRefreshToken: true } : {}),
    // RFC 7636 / RFC 9700 §2.1.1: every authorization code request needs PKCE; oidc-provider 9
    // accepts only S256 (`plain` is refused with invalid_request).
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError,
    ttl: {
      AccessToken: accessTokenLifetime,
      // The service client's tokens (client credentials) live as long as the app's.
      ClientCredentials: accessTokenLifetime,
      AuthorizationCode: DEFAULT_TTL.authorizationCode,
      IdToken: DEFAULT_TTL.idToken,
      Interaction: DEFAULT_TTL.interaction,
      RefreshToken: DEFAULT_TTL.refreshToken,
      Session: DEFAULT_TTL.session,
      // A grant must live as long as the refresh tokens that point to it.
      Grant: DEFAULT_TTL.refreshToken,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: {
        enabled: true,
        nonceSecret: secrets.dpopNonceSecret,
        requireNonce: requireDpopNonce(config),
      },
      userinfo: { enabled: true },
      // RFC 6749 §4.4, for the confidential service client only (its grant_types).
      clientCredentials: { enabled: true },
      // RFC 7009, so the app can revoke its refresh token on sign-out: a client only its own
      // tokens, a DPoP-bound refresh token only with a proof of its key (revocation-policy.ts).
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        postLogoutSuccessSource: postLogoutSuccessSource(`${config.spaOrigin}/`),
      },
      resourceIndicators: resourceIndicators({ config, accessTokenTtl }),
      // RFC 7662, for the API's opaque tokens (AS_API_TOKEN_FORMAT=opaque): only the API's own
      // client may ask, and only about access tokens for the API; any other question gets
      // `active: false` (RFC 7662 §2.2 leaves it to the server whom to answer).
      introspection: {
        enabled: config.asApiTokenFormat === 'opaque',
        allowedPolicy: (_ctx, client, token) =>
          client.clientId === API_CLIENT.id &&
          token.kind !== 'RefreshToken' &&
          [token.aud].flat().includes(config.apiResource),
      },
    },
  };
}
