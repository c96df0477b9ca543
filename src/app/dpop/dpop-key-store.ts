import { inject, Injectable, signal } from '@angular/core';
import { calculateJwkThumbprint } from 'jose';

import { DpopKeyDatabase } from './dpop-key-database';

/** Where the key pair lives: IndexedDB (survives reloads), memory only, or not known yet. */
export type DpopKeyStorage = 'indexeddb' | 'memory' | 'unknown';

/** The key pair plus what every proof needs from it, computed once. */
interface LoadedKey {
  pair: CryptoKeyPair;
  publicJwk: JsonWebKey;
  thumbprint: string;
}

// ES256 (RFC 9449 §5 names it as the algorithm every server should support).
const KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/**
 * The DPoP key pair: ECDSA P-256, private key non-extractable, persisted in IndexedDB.
 *
 * Loaded once and then kept in memory, so a proof costs one signature and no storage access.
 * All loads, generations and deletions run one after another on a single queue: concurrent first
 * calls share one load (one key, never two racing `put`s), and a `clear()` cannot interleave with
 * a load that would write the old key back.
 */
@Injectable({ providedIn: 'root' })
export class DpopKeyStore {
  private readonly database = inject(DpopKeyDatabase);
  private readonly storageState = signal<DpopKeyStorage>('unknown');
  private current: Promise<LoadedKey> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** Where the key is kept; `'unknown'` until the first load. */
  readonly storage = this.storageState.asReadonly();

  async keyPair(): Promise<CryptoKeyPair> {
    return (await this.key()).pair;
  }

  /** The public key as a JWK with only `kty`, `crv`, `x`, `y` (the RFC 7638 members). */
  async publicJwk(): Promise<JsonWebKey> {
    return { ...(await this.key()).publicJwk };
  }

  /** The RFC 7638 SHA-256 thumbprint; what `cnf.jkt` and `dpop_jkt` carry (RFC 9449 §6, §10). */
  async thumbprint(): Promise<string> {
    return (await this.key()).thumbprint;
  }

  /** Deletes the key from IndexedDB and memory; the next call generates a new one. */
  async clear(): Promise<void> {
    this.current = null;
    await this.enqueue(() => this.database.delete());
  }

  /** Replaces the key (tokens bound to the old one stop working, by design). */
  async rotate(): Promise<CryptoKeyPair> {
    await this.clear();
    return this.keyPair();
  }

  private key(): Promise<LoadedKey> {
    if (!this.current) {
      const loading = this.enqueue(() => this.loadOrCreate());
      // A failed load is not cached: the next call tries again (e.g. after the user frees storage).
      loading.catch(() => {
        if (this.current === loading) this.current = null;
      });
      this.current = loading;
    }
    return this.current;
  }

  private async loadOrCreate(): Promise<LoadedKey> {
    let pair = await this.database.load();
    if (!isUsable(pair)) {
      // Nothing stored (or something this code cannot sign with): make and store a new pair.
      pair = await crypto.subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
      await this.database.save(pair);
    }
    this.storageState.set('indexeddb');
    return describeKey(pair);
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function isUsable(pair: CryptoKeyPair | undefined): pair is CryptoKeyPair {
  const algorithm = pair?.privateKey?.algorithm as EcKeyAlgorithm | undefined;
  return (
    pair?.privateKey instanceof CryptoKey &&
    pair.publicKey instanceof CryptoKey &&
    algorithm?.name === 'ECDSA' &&
    algorithm.namedCurve === 'P-256'
  );
}

async function describeKey(pair: CryptoKeyPair): Promise<LoadedKey> {
  // Public keys are always exportable, even when the pair was generated non-extractable.
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const publicJwk: JsonWebKey = { kty, crv, x, y };
  const thumbprint = await calculateJwkThumbprint(pair.publicKey, 'sha256');
  return { pair, publicJwk, thumbprint };
}
