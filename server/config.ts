/**
 * The contract of the embedded DPoP world (see ../shared/DESIGN.md and docs/configuration.md):
 * every port, URL and switch the servers read, with its default. One place, so the
 * authorization server, the API, `npm start` and the tests agree.
 */

/** Reads an on/off switch: `off`, `false`, `0` and `no` turn it off; anything else keeps the default. */
export function envFlag(
  name: string,
  fallback: boolean,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  throw new Error(`${name}=${env[name]} is not a switch: use on or off.`);
}

function envPort(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port: use a whole number from 0 to 65535.`);
  }
  return port;
}

function envSeconds(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(
      `${name}=${raw} is not a lifetime: use a whole number of seconds greater than 0.`,
    );
  }
  return seconds;
}

/** The access-token shapes the resource API can admit (resource-api/token-shapes.ts). */
export const API_TOKEN_SHAPES = ['rfc9068', 'okta', 'keycloak', 'auth0', 'opaque'] as const;
export type ApiTokenShape = (typeof API_TOKEN_SHAPES)[number];

/** API_TOKEN_SHAPES: a comma-separated list of API_TOKEN_SHAPES; `undefined` when unset. */
function envTokenShapes(env: NodeJS.ProcessEnv): readonly ApiTokenShape[] | undefined {
  const raw = env['API_TOKEN_SHAPES']?.trim();
  if (!raw) return undefined;
  const names = raw.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(API_TOKEN_SHAPES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `API_TOKEN_SHAPES=${raw} names ${unknown.join(', ')}: list one or more of ` +
        `${API_TOKEN_SHAPES.join(', ')}, separated by commas (e.g. API_TOKEN_SHAPES=rfc9068,okta).`,
    );
  }
  return [...new Set(names as ApiTokenShape[])];
}

function envTokenFormat(env: NodeJS.ProcessEnv): 'jwt' | 'opaque' {
  const raw = env['AS_API_TOKEN_FORMAT']?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'jwt') return 'jwt';
  if (raw === 'opaque') return 'opaque';
  throw new Error(
    `AS_API_TOKEN_FORMAT=${env['AS_API_TOKEN_FORMAT']} is not a format: use jwt or opaque.`,
  );
}

function envCount(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 10) {
    throw new Error(`${name}=${raw} is not a limit: use a whole number of entries, 10 or more.`);
  }
  return count;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export interface WorldConfig {
  /** Port of the authorization server (AS_PORT, default 3000). */
  asPort: number;
  /** Issuer identifier (ISSUER, default http://localhost:<AS_PORT>). */
  issuer: string;
  /** Port of the resource API (API_PORT, default 3001). */
  apiPort: number;
  /** The URL clients use for the API; `htu` is checked against it, never the Host header (API_PUBLIC_URL). */
  apiPublicUrl: string;
  /** The API's resource indicator (RFC 8707) and the `aud` of its access tokens (API_AUDIENCE, default `<API_PUBLIC_URL>/api`). */
  apiResource: string;
  /** The issuer whose access tokens the API accepts, exactly as written: no slash is trimmed (API_ISSUER; unset: `issuer`, see apiIssuerOf). */
  apiIssuer?: string;
  /** The access-token shapes the API admits (API_TOKEN_SHAPES; unset: what the embedded server issues, see apiTokenShapesOf). */
  apiTokenShapes?: readonly ApiTokenShape[];
  /**
   * The API admits the walkthrough's plain-bearer client with the Bearer scheme (API_BEARER=on/off;
   * unset: on only while the API trusts the embedded issuer, see apiBearerClientOf).
   */
  apiBearer?: boolean;
  /** The API's own client at the issuer's introspection endpoint, for opaque tokens (API_INTROSPECTION_CLIENT_ID, API_INTROSPECTION_CLIENT_SECRET). */
  apiIntrospectionClient: { id: string; secret: string };
  /** What the embedded authorization server issues for the API: RFC 9068 JWTs or opaque tokens (AS_API_TOKEN_FORMAT, default jwt). */
  asApiTokenFormat: 'jwt' | 'opaque';
  /** Origin of the single-page app (SPA_ORIGIN, default http://localhost:4200). */
  spaOrigin: string;
  /** Origin of each sample app in projects/samples/ (SAMPLES: its variable and default port). */
  sampleOrigins: Record<SampleName, string>;
  /**
   * A config.json of your own for the app, e.g. for a real identity provider (APP_CONFIG: its
   * path); unset, the app is served one made for the servers above (app-server/served-app-config.ts).
   */
  appConfigFile?: string;
  /** The token endpoint demands a DPoP nonce (AS_DPOP_NONCE=off turns it off). */
  asRequireNonce: boolean;
  /** The API demands its own DPoP nonce (API_DPOP_NONCE=off turns it off). */
  apiRequireNonce: boolean;
  /** Where keys and secrets live between restarts (DPOP_LAB_DATA_DIR, default .data). */
  dataDir: string;
  /** Lifetime of access tokens in seconds (ACCESS_TOKEN_TTL); unset keeps the authorization server's default. */
  accessTokenTtl?: number;
  /** Where the API records used DPoP proofs (API_REPLAY_STORE): unset = in memory, `redis://host:port` = shared. */
  apiReplayStore?: string;
  /**
   * Live entries of the in-memory replay cache before only its light users may record
   * (API_REPLAY_CAPACITY, default 100,000); a tenth is one client + user's share, on Redis too.
   */
  apiReplayCapacity?: number;
  /**
   * The authorization server rotates refresh tokens on every use and revokes the grant when a
   * rotated-out one comes back (AS_ROTATE_REFRESH_TOKENS=off: oidc-provider's default, which
   * keeps a DPoP-bound refresh token until 70 % of its lifetime has passed).
   */
  asRotateRefreshTokens: boolean;
  /** The authorization server's store: most sessions, grants and tokens of accounts (AS_STORE_MAX_ENTRIES). */
  asStoreMaxEntries?: number;
  /**
   * Most entries of each kind anyone can make (sign-in pages, DPoP proof records, pushed
   * requests, client-credentials tokens, visitors' sessions), and most authorization codes, in
   * the authorization server's store (AS_STORE_MAX_SHORT_LIVED).
   */
  asStoreMaxShortLived?: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): WorldConfig {
  const asPort = envPort('AS_PORT', 3000, env);
  const apiPort = envPort('API_PORT', 3001, env);
  const apiPublicUrl = trimSlash(env['API_PUBLIC_URL'] || `http://localhost:${apiPort}`);
  const apiTokenShapes = envTokenShapes(env);
  const apiIssuer = env['API_ISSUER']?.trim();
  const appConfigFile = env['APP_CONFIG']?.trim();
  const apiBearer = env['API_BEARER']?.trim() ? envFlag('API_BEARER', false, env) : undefined;
  return {
    asPort,
    issuer: trimSlash(env['ISSUER'] || `http://localhost:${asPort}`),
    apiPort,
    apiPublicUrl,
    apiResource: env['API_AUDIENCE']?.trim() || `${apiPublicUrl}/api`,
    ...(apiIssuer ? { apiIssuer } : {}),
    ...(apiTokenShapes ? { apiTokenShapes } : {}),
    ...(apiBearer === undefined ? {} : { apiBearer }),
    apiIntrospectionClient: {
      id: env['API_INTROSPECTION_CLIENT_ID']?.trim() || API_CLIENT.id,
      secret: env['API_INTROSPECTION_CLIENT_SECRET'] || API_CLIENT.secret,
    },
    asApiTokenFormat: envTokenFormat(env),
    spaOrigin: trimSlash(env['SPA_ORIGIN'] || 'http://localhost:4200'),
    sampleOrigins: sampleOriginsOf(env),
    ...(appConfigFile ? { appConfigFile } : {}),
    asRequireNonce: envFlag('AS_DPOP_NONCE', true, env),
    apiRequireNonce: envFlag('API_DPOP_NONCE', true, env),
    dataDir: env['DPOP_LAB_DATA_DIR'] || '.data',
    accessTokenTtl: envSeconds('ACCESS_TOKEN_TTL', env),
    apiReplayStore: env['API_REPLAY_STORE']?.trim() || undefined,
    apiReplayCapacity: envCount('API_REPLAY_CAPACITY', env),
    asRotateRefreshTokens: envFlag('AS_ROTATE_REFRESH_TOKENS', true, env),
    asStoreMaxEntries: envCount('AS_STORE_MAX_ENTRIES', env),
    asStoreMaxShortLived: envCount('AS_STORE_MAX_SHORT_LIVED', env),
  };
}

/** The issuer the API trusts: API_ISSUER as written, else the embedded server's issuer. */
export function apiIssuerOf(config: WorldConfig): string {
  return config.apiIssuer ?? config.issuer;
}

/**
 * The client whose unbound tokens the API accepts as Bearer (the walkthrough's comparison), or
 * `undefined` when it accepts DPoP only. Its client ID means something only at the embedded
 * issuer: at another issuer any client may be named `dpop-lab-bearer` (issue 19). So Bearer is on
 * while the API trusts the embedded issuer, off when API_ISSUER names another, unless API_BEARER
 * says otherwise.
 */
export function apiBearerClientOf(config: WorldConfig): string | undefined {
  const embedded = apiIssuerOf(config) === config.issuer;
  return (config.apiBearer ?? embedded) ? BEARER_CLIENT_ID : undefined;
}

/** The shapes the API admits: API_TOKEN_SHAPES, else the one the embedded server issues. */
export function apiTokenShapesOf(config: WorldConfig): readonly ApiTokenShape[] {
  return config.apiTokenShapes ?? [config.asApiTokenFormat === 'opaque' ? 'opaque' : 'rfc9068'];
}

/** The port the app is served on: SPA_ORIGIN's, or its scheme's default. */
export function spaPortOf(config: WorldConfig): number {
  const origin = new URL(config.spaOrigin);
  return Number(origin.port || (origin.protocol === 'https:' ? 443 : 80));
}

/** The demo accounts the login page accepts (DESIGN.md: the contract). */
export const DEMO_ACCOUNTS = [
  { id: 'alice', password: 'alice-password', name: 'Alice Anders', email: 'alice@example.com' },
  { id: 'bob', password: 'bob-password', name: 'Bob Brandt', email: 'bob@example.com' },
] as const;

/**
 * The sample apps (projects/samples/), one per OIDC library that signs in with DPoP through
 * @dpop-lab/angular: each has its own public DPoP-bound client and its own origin.
 */
export const SAMPLES = {
  'oauth2-oidc': {
    clientId: 'dpop-lab-sample-oauth2-oidc',
    originVariable: 'SAMPLE_OAUTH2_OIDC_ORIGIN',
    defaultOrigin: 'http://localhost:4201',
  },
  'auth-oidc-client': {
    clientId: 'dpop-lab-sample-auth-oidc-client',
    originVariable: 'SAMPLE_AUTH_OIDC_CLIENT_ORIGIN',
    defaultOrigin: 'http://localhost:4202',
  },
} as const;
export type SampleName = keyof typeof SAMPLES;
export const SAMPLE_NAMES = Object.keys(SAMPLES) as SampleName[];

function sampleOriginsOf(env: NodeJS.ProcessEnv): Record<SampleName, string> {
  const origins = SAMPLE_NAMES.map((name) => {
    const { originVariable, defaultOrigin } = SAMPLES[name];
    return [name, trimSlash(env[originVariable] || defaultOrigin)];
  });
  return Object.fromEntries(origins) as Record<SampleName, string>;
}

/** The origins of the browser apps the world serves, which may call the API: the SPA and the samples. */
export function browserOriginsOf(config: WorldConfig): string[] {
  return [config.spaOrigin, ...SAMPLE_NAMES.map((name) => config.sampleOrigins[name])];
}

export const SPA_CLIENT_ID = 'dpop-lab-spa';
/** A second public client whose tokens are plain (unbound) Bearer tokens: the bearer-vs-DPoP comparison. */
export const BEARER_CLIENT_ID = 'dpop-lab-bearer';
/** The public native client of `npm run conformance -- --sign-in`: loopback redirect, PKCE, DPoP. */
export const CLI_CLIENT_ID = 'dpop-lab-cli';
/**
 * The confidential machine-to-machine client (client credentials + DPoP, `npm run service`).
 * Its secret is a published demo value, like the demo passwords: fine for this local lab only.
 */
export const SERVICE_CLIENT = {
  id: 'dpop-lab-service',
  secret: 'dpop-lab-service-secret',
  scope: 'apps:read',
} as const;
export const API_SCOPES = ['users:read', 'apps:read'] as const;
/**
 * The resource API's own confidential client at the embedded authorization server: it
 * authenticates at the introspection endpoint (RFC 7662) to check opaque access tokens. A
 * published demo value like the service client's secret; against a real provider, set
 * API_INTROSPECTION_CLIENT_ID and API_INTROSPECTION_CLIENT_SECRET.
 */
export const API_CLIENT = { id: 'dpop-lab-api', secret: 'dpop-lab-api-secret' } as const;
