/**
 * Imported proof keys, by algorithm and RFC 7638 thumbprint: a client signs every proof of a
 * session with one key, so the key is imported once, not on every request (issue 13). Bounded:
 * beyond `maxEntries` the oldest key is dropped (and imported again if it comes back); keys that
 * fail to import are not kept.
 */
import { importJWK, type CryptoKey, type JWK } from 'jose';

import type { ProofAlgorithm } from './algorithms.ts';

export class ProofKeyCache {
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.#keys.size;
  }

  /** The public key for `jwk` with `alg`; rejects as importJWK does for a key it cannot use. */
  keyFor(jwk: JWK, alg: ProofAlgorithm, thumbprint: string): Promise<CryptoKey> {
    const name = `${alg}:${thumbprint}`;
    const cached = this.#keys.get(name);
    if (cached) return cached;
    const { kty, crv, x, y, n, e } = jwk;
    const imported = importJWK({ kty, crv, x, y, n, e }, alg).then((key) => {
      if (key instanceof Uint8Array || key.type !== 'public') {
        throw new TypeError('the jwk is not an asymmetric public key');
      }
      return key;
    });
    if (this.#keys.size >= this.maxEntries) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(name, imported);
    imported.catch(() => this.#keys.delete(name));
    return imported;
  }
}
