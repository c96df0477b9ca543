/**
 * The authorization server's keys and secrets, generated on first start and kept in
 * `<dataDir>/authorization-server.json` (folder 0700, file 0600) so a restart keeps the same
 * JWKS (the API's cached keys and already issued JWT access tokens stay valid), the same
 * cookie keys (signed session cookies stay valid) and the same DPoP nonce secret (nonces
 * handed out before the restart are still accepted, RFC 9449 §8).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { calculateJwkThumbprint, type JWK } from 'jose';

export const SECRETS_FILE_NAME = 'authorization-server.json';

export interface AuthorizationServerSecrets {
  /** Private signing keys: ES256 first (JWT access tokens, our client's ID tokens), then RS256. */
  jwks: { keys: JWK[] };
  /** Keys for oidc-provider's signed cookies (Koa keygrip): the first signs, all verify. */
  cookieKeys: string[];
  /** The 32-byte secret oidc-provider derives DPoP nonces from (features.dPoP.nonceSecret). */
  dpopNonceSecret: Buffer;
}

interface StoredSecrets {
  version: 1;
  createdAt: string;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  dpopNonceSecret: string;
}

async function signingKey(type: 'ec' | 'rsa', alg: 'ES256' | 'RS256'): Promise<JWK> {
  const { privateKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  // `alg` pins each key to one algorithm (an RSA key would otherwise also serve PS256...);
  // the kid is the RFC 7638 thumbprint, so it is stable and checkable by anyone.
  return { ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

async function generate(): Promise<StoredSecrets> {
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    // OIDC Core §15.1 makes RS256 the default ID token algorithm, so third-party clients
    // registered without `id_token_signed_response_alg` still need an RS256 key.
    jwks: { keys: [await signingKey('ec', 'ES256'), await signingKey('rsa', 'RS256')] },
    cookieKeys: [randomBytes(32).toString('base64url')],
    dpopNonceSecret: randomBytes(32).toString('base64url'),
  };
}

function parse(text: string, file: string): AuthorizationServerSecrets {
  const fail = (what: string): never => {
    throw new Error(
      `${file} ${what}: delete the file to generate new keys (signed-in users will have to sign in again).`,
    );
  };
  let stored: Partial<StoredSecrets>;
  try {
    stored = JSON.parse(text) as Partial<StoredSecrets>;
  } catch {
    return fail('is not JSON');
  }
  const keys = stored.jwks?.keys;
  if (
    !Array.isArray(keys) ||
    !keys.some((k) => k.alg === 'ES256') ||
    !keys.some((k) => k.alg === 'RS256')
  ) {
    fail('has no ES256 and RS256 signing keys');
  }
  if (!Array.isArray(stored.cookieKeys) || stored.cookieKeys.length === 0)
    fail('has no cookie keys');
  const nonceSecret = Buffer.from(stored.dpopNonceSecret ?? '', 'base64url');
  if (nonceSecret.byteLength !== 32) fail('has no 32-byte dpopNonceSecret');
  return {
    jwks: { keys: keys as JWK[] },
    cookieKeys: stored.cookieKeys as string[],
    dpopNonceSecret: nonceSecret,
  };
}

/**
 * Returns the secrets stored in `dataDir`, creating them on first use. Creation is atomic
 * (write a temporary file, then hard-link it into place), so two servers starting at once on
 * the same folder end up with the same keys instead of overwriting each other's.
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<AuthorizationServerSecrets> {
  const file = join(dataDir, SECRETS_FILE_NAME);
  try {
    return parse(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(await generate(), null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return parse(await readFile(file, 'utf8'), file);
}
