/**
 * Proof headers already read, by their encoded text: a client signs every proof of a session
 * with one key and the same header, so the header is decoded, checked (typ, alg, a public key of
 * the alg's kind and size), thumbprinted and its key imported once, not on every request (issue 19:
 * what a DPoP request costs beyond bearer's one signature check).
 *
 * Only a header whose proof verified is kept (the pipeline adds it after verifyProofSignature),
 * and everything kept is a function of the header's text alone, so a proof with a known header
 * skips nothing that could turn out differently. Bounded: beyond `maxEntries` the oldest goes.
 */
import type { KeyObject } from 'node:crypto';

import type { JWK } from 'jose';

import type { ProofAlgorithm } from './algorithms.ts';

/** What the pipeline needs of a checked proof header. */
export interface ProofKey {
  alg: ProofAlgorithm;
  jwk: JWK;
  /** RFC 7638 thumbprint of `jwk`. */
  thumbprint: string;
  /** `jwk` imported for node:crypto, once verifyProofSignature has needed it. */
  key?: KeyObject;
}

export class ProofHeaderCache {
  readonly #headers = new Map<string, ProofKey>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.#headers.size;
  }

  get(encodedHeader: string): ProofKey | undefined {
    return this.#headers.get(encodedHeader);
  }

  set(encodedHeader: string, proofKey: ProofKey): void {
    if (this.#headers.size >= this.maxEntries) {
      this.#headers.delete(this.#headers.keys().next().value!);
    }
    this.#headers.set(encodedHeader, proofKey);
  }
}
