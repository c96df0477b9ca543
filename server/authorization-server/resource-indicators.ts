/**
 * Resource indicators (RFC 8707): which access token the token endpoint issues.
 *
 * The app needs two kinds of token, because oidc-provider's userinfo endpoint (`/me`) refuses
 * any token that has an audience, and the API accepts only tokens whose `aud` is the API:
 *
 * | token request                                     | access token                          |
 * | ------------------------------------------------- | ------------------------------------- |
 * | code exchange, no `resource`                      | opaque, for `/me` (userinfo)          |
 * | code exchange or refresh, `resource=<apiResource>`| JWT (RFC 9068) for the API, or opaque |
 * | refresh, no `resource`                            | opaque, for `/me` (userinfo)          |
 *
 * How oidc-provider decides (lib/helpers/resolve_resource.js): a `resource` parameter on the
 * token request wins (it must be one the grant covers, else `invalid_target`); without one, a
 * request whose scope contains `openid` gets a userinfo token (`useGrantedResource` is false).
 *
 * The API's token is an RFC 9068 JWT, which the API verifies with our JWKS; with
 * AS_API_TOKEN_FORMAT=opaque it is an opaque token instead, which the API checks at our
 * introspection endpoint (RFC 7662, provider-configuration.ts) with its own client (clients.ts),
 * as with WSO2 Identity Server. Both are DPoP-bound alike (`cnf.jkt` in the JWT, or in the
 * introspection answer, RFC 9449 §6).
 *
 * The authorization request may carry `resource=<apiResource>` (the SPA sends it); if it
 * doesn't, `defaultResource` picks the API anyway, so the grant (and the refresh token) always
 * covers the API and a later `resource=<apiResource>` on the refresh request succeeds.
 */
import { errors, type Client, type ResourceServer } from 'oidc-provider';

import { API_SCOPES, SERVICE_CLIENT, type WorldConfig } from '../config.ts';

export interface ResourceIndicatorOptions {
  config: WorldConfig;
  /** Lifetime of the API's JWT access tokens, in seconds. */
  accessTokenTtl: number;
}

export function resourceIndicators({ config, accessTokenTtl }: ResourceIndicatorOptions) {
  const api = config.apiResource;
  return {
    enabled: true,

    /**
     * Authorization request without `resource` (`oneOf` undefined): the API, so consent
     * covers it. Token request that would otherwise be ambiguous (`oneOf` lists the granted
     * resources): the API, if granted.
     */
    defaultResource(_ctx: unknown, _client: unknown, oneOf?: string[]) {
      if (oneOf) return oneOf.includes(api) ? api : oneOf;
      return api;
    },

    /** Without `resource` on a token request, issue a userinfo token (see the table above). */
    useGrantedResource: () => false,

    /** The only resource server we know is the API; any other indicator is `invalid_target` (RFC 8707 §2). */
    getResourceServerInfo(
      _ctx: unknown,
      resourceIndicator: string,
      client?: Client,
    ): ResourceServer {
      if (resourceIndicator !== api) {
        throw new errors.InvalidTarget(`unknown resource indicator; this server knows only ${api}`);
      }
      return {
        // Only these scopes can end up in the API's tokens, and only when granted; the
        // machine-to-machine client gets at most its own (least privilege: apps:read).
        scope: client?.clientId === SERVICE_CLIENT.id ? SERVICE_CLIENT.scope : API_SCOPES.join(' '),
        audience: api,
        accessTokenTTL: accessTokenTtl,
        ...(config.asApiTokenFormat === 'opaque'
          ? { accessTokenFormat: 'opaque' }
          : // RFC 9068: a JWT with `typ: at+jwt`, so the API verifies it locally with our JWKS.
            { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
      };
    },
  };
}
