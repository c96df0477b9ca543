/**
 * The key pair of the proof CLI (`npm run proof`): ES256, generated on first use and kept in
 * `<DPOP_LAB_DATA_DIR>/cli-key.json` (folder 0700, file 0600; `.data/` is git-ignored), so the
 * token you get with one proof and the proofs you make for it afterwards share one key — as a
 * real client's would.
 *
 * Unlike the browser's non-exportable key, this one is a private JWK in a file: it is a lab
 * tool. Anyone who can read the file can make proofs for tokens bound to it (RFC 9449 §2).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { proofKeyOf, type ProofKey } from '@dpop-lab/protocol';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const CLI_KEY_FILE_NAME = 'cli-key.json';

export interface CliKey extends ProofKey {
  /** Where the key is kept. */
  file: string;
}

/** The default key file: `<DPOP_LAB_DATA_DIR or .data>/cli-key.json`. */
export function defaultCliKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['DPOP_LAB_DATA_DIR'] || '.data', CLI_KEY_FILE_NAME);
}

async function describe(privateJwk: JWK, file: string): Promise<CliKey> {
  const { kty, crv, x, y } = privateJwk;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y || !privateJwk.d) {
    throw new Error(`${file} does not hold an EC P-256 private key: delete it to make a new one.`);
  }
  const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
  return { ...(await proofKeyOf({ privateKey, publicKey: { kty, crv, x, y } }, 'ES256')), file };
}

/** Loads the key from `file`, or generates one and writes it there (0600) if there is none. */
export async function loadOrCreateCliKey(file = defaultCliKeyFile()): Promise<CliKey> {
  try {
    return await describe(JSON.parse(await readFile(file, 'utf8')) as JWK, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof SyntaxError) {
        throw new Error(`${file} is not JSON: delete it to make a new key.`, { cause: error });
      }
      throw error;
    }
  }
  // Extractable, unlike the browser's key: this one is kept in a file (see above).
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: never overwrite a key another run wrote meanwhile; then use that one.
    await writeFile(file, `${JSON.stringify({ ...jwk, alg: 'ES256' }, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateCliKey(file);
    throw error;
  }
  return describe(jwk, file);
}
