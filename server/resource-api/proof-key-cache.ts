/**
 * Imported proof keys, by algorithm and RFC 7638 thumbprint: a client signs every proof of a
 * session with one key, so the key is imported once, not on every request (issue 13). Bounded:
 * beyond `maxEntries` the oldest key is dropped (and imported again if it comes back); keys that
 * fail to import are not kept.
 *
 * node:crypto KeyObjects, not WebCrypto keys: ./checks/verify-proof-signature.ts verifies with
 * node:crypto (see there why).
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

import type { JWK } from 'jose';

import type { ProofAlgorithm } from './algorithms.ts';

export class ProofKeyCache {
  readonly #keys = new Map<string, KeyObject>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.#keys.size;
  }

  /**
   * The public key for `jwk` with `alg`. Throws (TypeError, or node's error for a key it cannot
   * read, e.g. a point not on its curve) when the jwk is no asymmetric public key.
   */
  keyFor(jwk: JWK, alg: ProofAlgorithm, thumbprint: string): KeyObject {
    const name = `${alg}:${thumbprint}`;
    const cached = this.#keys.get(name);
    if (cached) return cached;
    // Only the members of the public key: nothing else in the header reaches the import.
    const { kty, crv, x, y, n, e } = jwk;
    const key = createPublicKey({ key: { kty, crv, x, y, n, e } as JsonWebKey, format: 'jwk' });
    if (key.type !== 'public') throw new TypeError('the jwk is not an asymmetric public key');
    if (this.#keys.size >= this.maxEntries) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(name, key);
    return key;
  }
}
