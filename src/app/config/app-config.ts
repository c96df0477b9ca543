import { InjectionToken } from '@angular/core';

/**
 * The runtime configuration, read from `config.json` before the app starts — not compiled in, so
 * one build can point at the embedded server, Okta, Keycloak… `npm start` and the app server
 * make it from their settings, or serve the file APP_CONFIG names
 * (server/app-server/served-app-config.ts).
 *
 * ```json
 * {
 *   "issuer": "http://localhost:3000",
 *   "clientId": "dpop-lab-spa",
 *   "bearerClientId": "dpop-lab-bearer",
 *   "scopes": ["openid", "profile", "email", "offline_access", "users:read", "apps:read"],
 *   "redirectPath": "/login/callback",
 *   "postLogoutRedirectPath": "/",
 *   "api": { "baseUrl": "http://localhost:3001/api/", "resource": "http://localhost:3001/api" }
 * }
 * ```
 */
export interface AppConfig {
  /**
   * The authorization server's issuer identifier, exactly as config.json writes it: the discovery
   * document must name the same string (OpenID Connect Discovery §4.3), so Auth0's trailing slash
   * stays. Discovery is at `<issuer without a trailing "/">/.well-known/openid-configuration` (§4).
   */
  readonly issuer: string;
  /** The public client registered for this app. */
  readonly clientId: string;
  /**
   * Optional: a second public client registered *without* DPoP, for the attack lab's plain
   * bearer token beside the DPoP session. Left out, that comparison is not offered.
   */
  readonly bearerClientId?: string;
  /** Scopes asked for at sign-in; `openid` is required, `offline_access` gives the refresh token. */
  readonly scopes: readonly string[];
  /** Path of the sign-in callback route, e.g. `/login/callback`. */
  readonly redirectPath: string;
  /** `redirectPath` resolved against the page origin: the registered `redirect_uri`. */
  readonly redirectUri: string;
  /** Where the server sends the browser after sign-out, e.g. `/`. */
  readonly postLogoutRedirectPath: string;
  /** `postLogoutRedirectPath` resolved against the page origin: the `post_logout_redirect_uri`. */
  readonly postLogoutRedirectUri: string;
  readonly api: ApiConfig;
}

export interface ApiConfig {
  /** Absolute URL prefix of the API, ending in `/`; requests under it get DPoP-bound tokens. */
  readonly baseUrl: string;
  /**
   * The API's RFC 8707 resource indicator (the `aud` of its tokens). Leave it out for an
   * identity provider without resource indicators: the sign-in token is then used for the API.
   */
  readonly resource?: string;
}

/** The IndexedDB database that holds the DPoP key (`withKeyStorage`); the inspector shows it. */
export const KEY_DATABASE_NAME = 'dpop-lab';

/** The validated runtime configuration. */
export const APP_CONFIG = new InjectionToken<AppConfig>('APP_CONFIG');

/** A problem with `config.json`, naming the file and, where it applies, the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * Checks the parsed `config.json` and resolves its paths against `origin` (the page origin).
 * Throws a `ConfigError` that lists every bad field, so one edit fixes them all.
 */
export function validateConfig(raw: unknown, origin: string): AppConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(
      'config.json must hold a JSON object (see docs/configuration.md for its fields).',
    );
  }
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];

  const issuer = absoluteUrl(input, 'issuer', problems);
  if (issuer && (issuer.includes('?') || issuer.includes('#'))) {
    problems.push('"issuer" must not contain a query or fragment (OpenID Connect Discovery §2).');
  }
  const clientId = nonEmptyString(input, 'clientId', problems);
  const bearerClientId =
    input['bearerClientId'] === undefined
      ? undefined
      : nonEmptyString(input, 'bearerClientId', problems);
  const scopes = readScopes(input, problems);
  const redirectPath = absolutePath(input, 'redirectPath', problems);
  const postLogoutRedirectPath = absolutePath(input, 'postLogoutRedirectPath', problems);
  const api = readApi(input['api'], problems);

  if (problems.length > 0) {
    const summary =
      problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join(' ')}`;
    throw new ConfigError(`config.json is not valid: ${summary}`, problems);
  }

  return {
    // As written: discovery strips a trailing "/" only to build its URL (discoveryUrlOf).
    issuer: issuer!,
    clientId: clientId!,
    ...(bearerClientId ? { bearerClientId } : {}),
    scopes: scopes!,
    redirectPath: redirectPath!,
    redirectUri: new URL(redirectPath!, origin).href,
    postLogoutRedirectPath: postLogoutRedirectPath!,
    postLogoutRedirectUri: new URL(postLogoutRedirectPath!, origin).href,
    api: api!,
  };
}

function nonEmptyString(
  input: Record<string, unknown>,
  field: string,
  problems: string[],
  prefix = '',
): string | undefined {
  const value = input[field];
  if (value === undefined) {
    problems.push(`"${prefix}${field}" is missing.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`"${prefix}${field}" must be a non-empty string.`);
    return undefined;
  }
  return value.trim();
}

function absoluteUrl(
  input: Record<string, unknown>,
  field: string,
  problems: string[],
  prefix = '',
): string | undefined {
  const value = nonEmptyString(input, field, problems, prefix);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`"${prefix}${field}" must be an absolute http(s) URL, got "${value}".`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`"${prefix}${field}" must be an absolute http(s) URL, got "${value}".`);
    return undefined;
  }
  return value;
}

function absolutePath(
  input: Record<string, unknown>,
  field: string,
  problems: string[],
): string | undefined {
  const value = nonEmptyString(input, field, problems);
  if (value === undefined) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) {
    problems.push(`"${field}" must be a path on this site starting with "/", got "${value}".`);
    return undefined;
  }
  return value;
}

function readScopes(input: Record<string, unknown>, problems: string[]): string[] | undefined {
  const value = input['scopes'];
  if (value === undefined) {
    problems.push('"scopes" is missing.');
    return undefined;
  }
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((scope) => typeof scope === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))
  ) {
    problems.push(
      '"scopes" must be a non-empty array of scope names without spaces, e.g. ["openid", "profile"].',
    );
    return undefined;
  }
  if (!value.includes('openid')) {
    problems.push('"scopes" must include "openid": the app signs users in with OpenID Connect.');
    return undefined;
  }
  return value as string[];
}

function readApi(value: unknown, problems: string[]): ApiConfig | undefined {
  if (value === undefined) {
    problems.push('"api" is missing: give it a "baseUrl" (and the "resource" indicator, if any).');
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push('"api" must be an object with a "baseUrl" and an optional "resource".');
    return undefined;
  }
  const api = value as Record<string, unknown>;
  const baseUrl = absoluteUrl(api, 'baseUrl', problems, 'api.');
  let resource: string | undefined;
  if (api['resource'] !== undefined) {
    resource = absoluteUrl(api, 'resource', problems, 'api.');
    if (resource?.includes('#')) {
      problems.push('"api.resource" must not contain a fragment (RFC 8707 §2).');
    }
  }
  if (baseUrl === undefined) return undefined;
  // The views append endpoint names ("users"): end with "/" so the result stays under the API.
  const prefix = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return resource === undefined ? { baseUrl: prefix } : { baseUrl: prefix, resource };
}
