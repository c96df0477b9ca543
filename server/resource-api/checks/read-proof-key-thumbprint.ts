/**
 * The RFC 7638 SHA-256 thumbprint of the proof key: the value a DPoP-bound token carries as
 * `cnf.jkt` (RFC 9449 §6.1), the key's name in the cache of imported proof keys, and whose share
 * of the replay cache the proof counts against.
 *
 * RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace, hashed. jose's
 * calculateJwkThumbprint does the same with WebCrypto's digest, a thread-pool round trip on every
 * request; node:crypto hashes in place (see checkAccessTokenHash). The tests compare the two.
 * checkProofKeyBounds has already checked the key type and curve.
 */
import { hash } from 'node:crypto';

import type { JWK } from 'jose';

import { invalidProof } from '../errors.ts';

const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

export function readProofKeyThumbprint(jwk: JWK): string {
  const members = REQUIRED_MEMBERS[String(jwk.kty)] ?? [];
  const required: Record<string, string> = {};
  for (const name of members) {
    const value = (jwk as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') {
      throw invalidProof(
        `The DPoP proof jwk has no ${name} member (a string): put the complete public key in the header.`,
      );
    }
    required[name] = value;
  }
  return hash('sha256', JSON.stringify(required), 'base64url');
}
