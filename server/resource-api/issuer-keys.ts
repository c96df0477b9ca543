/**
 * The issuer's signing keys, for access-token verification (RFC 9068 §4).
 *
 * The JWKS URL comes from, in order: an explicit option (tests), the issuer's discovery document
 * (`jwks_uri` of `<issuer>/.well-known/openid-configuration`, whose `issuer` must equal the
 * configured one, else a mix-up), or the oidc-provider default `<issuer>/jwks`. Discovery is done
 * lazily on the first token, because `npm start` starts the API and the authorization server
 * together; until discovery succeeds it is retried on the next token rather than remembered as
 * failed. jose's createRemoteJWKSet caches the keys and refetches (with a cooldown) when a token
 * names an unknown `kid`, which follows key rotation.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export interface IssuerKeyOptions {
  issuer: string;
  /** Skip discovery and use this JWKS URL. */
  jwksUrl?: string | undefined;
  discoveryTimeoutMs?: number;
}

async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const metadata = (await response.json()) as Record<string, unknown>;
    if (metadata['issuer'] !== issuer) {
      throw new Error(
        `The discovery document of ${issuer} names issuer ${String(metadata['issuer'])}; refusing its keys.`,
      );
    }
    return typeof metadata['jwks_uri'] === 'string' ? metadata['jwks_uri'] : undefined;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('The discovery document')) throw error;
    return undefined;
  }
}

export function createIssuerKeyResolver({
  issuer,
  jwksUrl,
  discoveryTimeoutMs = 3000,
}: IssuerKeyOptions): JWTVerifyGetKey {
  const keySets = new Map<string, JWTVerifyGetKey>();
  const keySetFor = (url: string) => {
    let keySet = keySets.get(url);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url));
      keySets.set(url, keySet);
    }
    return keySet;
  };

  let discovered: string | undefined = jwksUrl;
  return async (protectedHeader, token) => {
    if (discovered === undefined) discovered = await discoverJwksUri(issuer, discoveryTimeoutMs);
    return keySetFor(discovered ?? `${issuer}/jwks`)(protectedHeader, token);
  };
}
