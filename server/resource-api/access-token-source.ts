/**
 * Where the API's verified access tokens come from (./read-access-token.ts), built from the
 * configuration: the trusted issuer (API_ISSUER) and its keys, the admitted shapes
 * (API_TOKEN_SHAPES), introspection with the API's own client (API_INTROSPECTION_CLIENT_ID and
 * _SECRET) for opaque tokens within the limits of ./introspection-gate.ts, and the cache of
 * verified tokens.
 */
import { apiIssuerOf, apiTokenShapesOf, type WorldConfig } from '../config.ts';
import { AccessTokenCache } from './access-token-cache.ts';
import { AddressBudget, type AddressBudgetOptions } from './address-budget.ts';
import { InactiveTokens } from './inactive-tokens.ts';
import { createIntrospection } from './introspection.ts';
import { IntrospectionGate } from './introspection-gate.ts';
import { IntrospectionQueue, type IntrospectionQueueOptions } from './introspection-queue.ts';
import type { AccessTokenSource } from './read-access-token.ts';
import { createTrustedIssuer } from './trusted-issuer.ts';

export interface AccessTokenSourceOptions {
  /** The issuer's JWKS URL; default: discovery `jwks_uri`, else `<issuer>/jwks`. */
  jwksUrl?: string | undefined;
  /** How soon after a JWKS fetch an unknown `kid` may cause another one (default 30 s). */
  jwksCooldownMs?: number | undefined;
  /** How long the introspection endpoint may take before the request gets 503 (default 3 000 ms). */
  introspectionTimeoutMs?: number | undefined;
  /** How long an introspection answer is trusted, at most (default 30 s; never past `exp`). */
  introspectionMaxAgeMs?: number | undefined;
  /** Verified access tokens (default: a cache of 10,000 tokens). */
  accessTokenCache?: AccessTokenCache | undefined;
  /** Inactive introspection answers (default: 10,000 for 10 s). */
  inactiveTokens?: InactiveTokens | undefined;
  /** Introspection calls at once and waiting (default 8 and 64). */
  introspectionQueue?: IntrospectionQueueOptions | undefined;
  /** New tokens one address may have checked (default 30, then one a second). */
  newTokenBudget?: AddressBudgetOptions | undefined;
}

export function createAccessTokenSource(
  config: WorldConfig,
  options: AccessTokenSourceOptions,
  log: (message: string) => void,
): AccessTokenSource {
  const issuer = createTrustedIssuer({
    issuer: apiIssuerOf(config),
    jwksUrl: options.jwksUrl,
    jwksCooldownMs: options.jwksCooldownMs,
    log,
  });
  return {
    issuer,
    audience: config.apiResource,
    shapes: apiTokenShapesOf(config),
    introspection: new IntrospectionGate({
      introspect: createIntrospection({
        endpoint: () => issuer.introspectionEndpoint(),
        clientId: config.apiIntrospectionClient.id,
        clientSecret: config.apiIntrospectionClient.secret,
        timeoutMs: options.introspectionTimeoutMs,
        log,
      }),
      issuer: issuer.issuer,
      inactive: options.inactiveTokens ?? new InactiveTokens(),
      queue: new IntrospectionQueue({
        waitTimeoutMs: options.introspectionTimeoutMs,
        ...options.introspectionQueue,
      }),
      budget: new AddressBudget(options.newTokenBudget),
    }),
    cache: options.accessTokenCache ?? new AccessTokenCache(),
    introspectionMaxAgeMs: options.introspectionMaxAgeMs ?? 30_000,
  };
}
