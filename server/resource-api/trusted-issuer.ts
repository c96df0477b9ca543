/**
 * The issuer whose access tokens the API accepts (API_ISSUER), as its discovery document
 * describes it: where its keys are (`jwks_uri`) and where to introspect opaque tokens
 * (`introspection_endpoint`).
 *
 * The issuer is kept exactly as configured: a trailing slash (Auth0's `https://TENANT.auth0.com/`)
 * is stripped only to build the discovery URL (OpenID Connect Discovery §4.1), and the document's
 * `issuer` must be identical to the configured value (§4.3), else its keys could sign tokens for
 * an issuer it is not (a mix-up). Issuers with a path work alike (Okta `/oauth2/default`,
 * Keycloak `/realms/NAME`, WSO2 `…/oauth2/token`).
 *
 * At start the API reads the document (start()): a document naming another issuer stops the API
 * with both values; an unreachable one does not (`npm start` may start the API before the
 * authorization server answers), and it is tried again, at most once per `discoveryRetryMs`, on
 * the next token until it answers.
 * Without a document the keys are looked for at oidc-provider's default `<issuer>/jwks`.
 *
 * Keys: jose's createRemoteJWKSet caches them and refetches when a token names an unknown `kid`
 * (at most once per cooldown) or they are older than their max age (10 minutes). keysVersion()
 * changes whenever a fetch brings a different key set, so the cache of verified tokens can drop
 * what it verified with the old keys; it also starts that refetch in the background when the keys
 * are stale, because a request served from the cache never asks for a key.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export interface TrustedIssuerOptions {
  issuer: string;
  /** Skip discovery for the keys and use this JWKS URL (tests, benches). */
  jwksUrl?: string | undefined;
  discoveryTimeoutMs?: number;
  /** After a failed discovery fetch, how long requests go without another (default 5 s). */
  discoveryRetryMs?: number;
  /** How soon after a fetch an unknown `kid` may cause another one (jose's default 30 s). */
  jwksCooldownMs?: number;
  log?: (message: string) => void;
}

export interface TrustedIssuer {
  issuer: string;
  /** Reads the discovery document if it answers; throws when it names another issuer. */
  start(): Promise<void>;
  getKey: JWTVerifyGetKey;
  /** A number that changes when the issuer's key set changes. */
  keysVersion(): number;
  /** From discovery; `undefined` while the document is unreachable (or names none). */
  introspectionEndpoint(): Promise<string | undefined>;
}

interface IssuerMetadata {
  jwks_uri?: unknown;
  introspection_endpoint?: unknown;
}

export class IssuerMismatchError extends Error {
  override readonly name = 'IssuerMismatchError';
}

export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

async function fetchMetadata(
  issuer: string,
  timeoutMs: number,
): Promise<IssuerMetadata | undefined> {
  let metadata: Record<string, unknown>;
  try {
    const response = await fetch(discoveryUrlOf(issuer), {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    metadata = (await response.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (metadata['issuer'] !== issuer) {
    throw new IssuerMismatchError(
      `The discovery document at ${discoveryUrlOf(issuer)} names the issuer ` +
        `${JSON.stringify(metadata['issuer'])}, but the API is configured to trust ` +
        `${JSON.stringify(issuer)}: set API_ISSUER to exactly the issuer the provider names ` +
        '(OpenID Connect Discovery section 4.3: they must be identical, trailing slash included).',
    );
  }
  return metadata;
}

export function createTrustedIssuer({
  issuer,
  jwksUrl,
  discoveryTimeoutMs = 3_000,
  discoveryRetryMs = 5_000,
  jwksCooldownMs,
  log = (message) => console.error(`resource API: ${message}`),
}: TrustedIssuerOptions): TrustedIssuer {
  let metadata: IssuerMetadata | undefined;
  // One fetch at a time; after a failure none until `retryAt`, so a burst of requests while the
  // authorization server is down costs it one fetch, and each request no discovery timeout.
  let fetching: Promise<IssuerMetadata | undefined> | undefined;
  let failure: { retryAt: number; mismatch?: IssuerMismatchError } | undefined;
  const fetchOnce = async () => {
    try {
      metadata = await fetchMetadata(issuer, discoveryTimeoutMs);
      failure = metadata ? undefined : { retryAt: Date.now() + discoveryRetryMs };
    } catch (error) {
      if (!(error instanceof IssuerMismatchError)) throw error;
      log(error.message);
      failure = { retryAt: Date.now() + discoveryRetryMs, mismatch: error };
    }
    return metadata;
  };
  const discover = async (): Promise<IssuerMetadata | undefined> => {
    if (metadata) return metadata;
    if (!failure || Date.now() >= failure.retryAt) {
      fetching ??= fetchOnce().finally(() => (fetching = undefined));
      await fetching;
    }
    if (failure?.mismatch) throw failure.mismatch;
    return metadata;
  };

  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  let current: ReturnType<typeof createRemoteJWKSet> | undefined;
  let seenKeys: string | undefined;
  let version = 0;
  let nextRefreshAt = 0;
  const noteKeys = () => {
    const keys = JSON.stringify(current?.jwks() ?? null);
    if (keys !== seenKeys) {
      if (seenKeys !== undefined) version += 1;
      seenKeys = keys;
    }
  };
  const keySet = async () => {
    const fromDiscovery = jwksUrl ?? (await discover())?.jwks_uri;
    const url = typeof fromDiscovery === 'string' ? fromDiscovery : `${issuer}/jwks`;
    let set = keySets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), { cooldownDuration: jwksCooldownMs });
      keySets.set(url, set);
    }
    current = set;
    return set;
  };

  return {
    issuer,
    async start() {
      // A mismatch here stops the API: the caller reports it, so it is not logged as well.
      metadata = await fetchMetadata(issuer, discoveryTimeoutMs);
    },
    async getKey(protectedHeader, token) {
      try {
        return await (
          await keySet()
        )(protectedHeader, token);
      } finally {
        noteKeys();
      }
    },
    keysVersion() {
      if (current && !current.fresh && !current.reloading && Date.now() >= nextRefreshAt) {
        // At most one background refetch per cooldown, whether it succeeds or not.
        nextRefreshAt = Date.now() + (jwksCooldownMs ?? 30_000);
        current.reload().then(noteKeys, () => undefined);
      }
      return version;
    },
    async introspectionEndpoint() {
      const endpoint = (await discover())?.introspection_endpoint;
      return typeof endpoint === 'string' ? endpoint : undefined;
    },
  };
}
