/**
 * The contract of the embedded DPoP world (see ../shared/DESIGN.md and the README):
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
  /** The API's resource indicator (RFC 8707) and the `aud` of its access tokens: `<API_PUBLIC_URL>/api`. */
  apiResource: string;
  /** Origin of the single-page app (SPA_ORIGIN, default http://localhost:4200). */
  spaOrigin: string;
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
   * The authorization server rotates refresh tokens on every use and revokes the grant when a
   * rotated-out one comes back (AS_ROTATE_REFRESH_TOKENS=off: oidc-provider's default, which
   * keeps a DPoP-bound refresh token until 70 % of its lifetime has passed).
   */
  asRotateRefreshTokens: boolean;
  /** The authorization server's store: most sessions, grants, codes and tokens (AS_STORE_MAX_ENTRIES). */
  asStoreMaxEntries?: number;
  /**
   * Most entries of each kind anyone can make (sign-in pages, DPoP proof records, pushed
   * requests, client-credentials tokens) in the authorization server's store (AS_STORE_MAX_SHORT_LIVED).
   */
  asStoreMaxShortLived?: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): WorldConfig {
  const asPort = envPort('AS_PORT', 3000, env);
  const apiPort = envPort('API_PORT', 3001, env);
  const apiPublicUrl = trimSlash(env['API_PUBLIC_URL'] || `http://localhost:${apiPort}`);
  return {
    asPort,
    issuer: trimSlash(env['ISSUER'] || `http://localhost:${asPort}`),
    apiPort,
    apiPublicUrl,
    apiResource: `${apiPublicUrl}/api`,
    spaOrigin: trimSlash(env['SPA_ORIGIN'] || 'http://localhost:4200'),
    asRequireNonce: envFlag('AS_DPOP_NONCE', true, env),
    apiRequireNonce: envFlag('API_DPOP_NONCE', true, env),
    dataDir: env['DPOP_LAB_DATA_DIR'] || '.data',
    accessTokenTtl: envSeconds('ACCESS_TOKEN_TTL', env),
    apiReplayStore: env['API_REPLAY_STORE']?.trim() || undefined,
    asRotateRefreshTokens: envFlag('AS_ROTATE_REFRESH_TOKENS', true, env),
    asStoreMaxEntries: envCount('AS_STORE_MAX_ENTRIES', env),
    asStoreMaxShortLived: envCount('AS_STORE_MAX_SHORT_LIVED', env),
  };
}

/** The demo accounts the login page accepts (DESIGN.md: the contract). */
export const DEMO_ACCOUNTS = [
  { id: 'alice', password: 'alice-password', name: 'Alice Anders', email: 'alice@example.com' },
  { id: 'bob', password: 'bob-password', name: 'Bob Brandt', email: 'bob@example.com' },
] as const;

export const SPA_CLIENT_ID = 'dpop-lab-spa';
/** A second public client whose tokens are plain (unbound) Bearer tokens: the bearer-vs-DPoP comparison. */
export const BEARER_CLIENT_ID = 'dpop-lab-bearer';
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
