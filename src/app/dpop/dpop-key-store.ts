import { inject, Injectable, signal } from '@angular/core';
import { calculateJwkThumbprint, CompactSign, compactVerify, JWK } from 'jose';

import { algorithmOfKey, DpopAlgorithms } from './dpop-algorithms';
import { DPOP_MEMORY_KEY_FALLBACK, DpopAlgorithm } from './dpop-config';
import { DpopError, isKeyStorageError } from './dpop-error';
import { DpopKeyDatabase, PROBE_RECORD } from './dpop-key-database';

/** Where the key pair lives: IndexedDB (survives reloads), memory only, or not known yet. */
export type DpopKeyStorage = 'indexeddb' | 'memory' | 'unknown';

/** The key pair plus what every proof needs from it, computed once. */
interface LoadedKey {
  pair: CryptoKeyPair;
  algorithm: DpopAlgorithm;
  publicJwk: JsonWebKey;
  thumbprint: string;
}

/**
 * The DPoP key pair: private key non-extractable, persisted in IndexedDB; ES256 (ECDSA P-256)
 * unless algorithm negotiation (`DpopAlgorithms`) calls for another.
 *
 * Loaded once and then kept in memory, so a proof costs one signature and no storage access.
 * All loads, generations and deletions run one after another on a single queue: concurrent first
 * calls share one load (one key, never two racing `put`s), and a `clear()` cannot interleave with
 * a load that would write the old key back.
 *
 * Storage is probed before it is trusted — by `probe()` at start-up, and whenever a new key is
 * stored: generate → store → read back → sign once, because some browsers accept the `put` of a
 * `CryptoKey` and then return nothing, or refuse it (`DataCloneError`), or IndexedDB is missing
 * altogether (private modes, disabled site data). With `withMemoryKeyFallback()`, such a failure
 * leaves this tab with a key that lives in memory only: `storage()` says `'memory'` and
 * `storageProblem()` says why.
 */
@Injectable({ providedIn: 'root' })
export class DpopKeyStore {
  private readonly database = inject(DpopKeyDatabase);
  private readonly algorithms = inject(DpopAlgorithms);
  private readonly memoryFallback = inject(DPOP_MEMORY_KEY_FALLBACK);
  private readonly storageState = signal<DpopKeyStorage>('unknown');
  private readonly problemState = signal<DpopError | null>(null);
  private current: Promise<LoadedKey> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private memoryOnly = false;

  /** Where the key is kept; `'unknown'` until the first load. */
  readonly storage = this.storageState.asReadonly();
  /** Why the key is memory-only (the storage failure), while `storage()` is `'memory'`. */
  readonly storageProblem = this.problemState.asReadonly();

  /**
   * The start-up probe. With a key stored (signed in on an earlier page), loads it and signs once
   * with it; without one, stores a throwaway key, reads it back, signs once with it and deletes it
   * (a signed-out visitor keeps no key). Resolves to where keys live; rejects with the storage
   * `DpopError` unless `withMemoryKeyFallback()` is on.
   */
  async probe(): Promise<DpopKeyStorage> {
    if (this.current || this.memoryOnly) {
      await this.key();
      return this.storageState();
    }
    try {
      const stored = await this.enqueue(() => this.database.load());
      if (isUsable(stored)) {
        await this.key();
        return this.storageState();
      }
      await this.enqueue(async () => {
        const { pair } = await this.algorithms.generateKeyPair();
        try {
          await this.storeAndReadBack(pair, PROBE_RECORD);
        } finally {
          await this.database.delete(PROBE_RECORD).catch(() => undefined);
        }
      });
      this.storageState.set('indexeddb');
    } catch (error) {
      if (!this.memoryFallback || !isKeyStorageError(error)) throw error;
      this.useMemoryOnly(error);
    }
    return this.storageState();
  }

  async keyPair(): Promise<CryptoKeyPair> {
    return (await this.key()).pair;
  }

  /** The JWS algorithm this key signs proofs with (the `alg` of the proof header). */
  async algorithm(): Promise<DpopAlgorithm> {
    return (await this.key()).algorithm;
  }

  /** The public key as a JWK with only its RFC 7638 members (EC `crv x y`, RSA `n e`, OKP `crv x`). */
  async publicJwk(): Promise<JsonWebKey> {
    return { ...(await this.key()).publicJwk };
  }

  /** The RFC 7638 SHA-256 thumbprint; what `cnf.jkt` and `dpop_jkt` carry (RFC 9449 §6, §10). */
  async thumbprint(): Promise<string> {
    return (await this.key()).thumbprint;
  }

  /** Deletes the key from storage and memory; the next call generates a new one. */
  async clear(): Promise<void> {
    this.current = null;
    if (this.memoryOnly) return;
    await this.enqueue(() => this.database.delete());
  }

  /**
   * Replaces the key (tokens bound to the old one stop working, by design). The new key uses the
   * algorithm negotiation's current choice.
   */
  async rotate(): Promise<CryptoKeyPair> {
    await this.clear();
    return this.keyPair();
  }

  /**
   * Forgets the key held in memory, not the stored one: the next call reads storage again. For
   * when another tab replaced the stored key (a sign-in there). No effect on a memory-only key.
   */
  invalidate(): void {
    if (!this.memoryOnly) this.current = null;
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
    if (this.memoryOnly) {
      return this.createInMemory();
    }
    try {
      const key = await this.loadOrCreateStored();
      this.storageState.set('indexeddb');
      return key;
    } catch (error) {
      if (!this.memoryFallback || !isKeyStorageError(error)) throw error;
      this.useMemoryOnly(error);
      return this.createInMemory();
    }
  }

  /** From now on this tab's keys die with it; the app tells the user (storageProblem()). */
  private useMemoryOnly(problem: DpopError): void {
    this.memoryOnly = true;
    this.problemState.set(problem);
    this.storageState.set('memory');
  }

  private async loadOrCreateStored(): Promise<LoadedKey> {
    const stored = await this.database.load();
    if (isUsable(stored)) {
      return signOnce(await describeKey(stored), 'read from');
    }
    // Nothing stored (or something this code cannot sign with): make, store and read back a pair.
    return this.storeAndReadBack((await this.algorithms.generateKeyPair()).pair);
  }

  /** Stores `pair`, reads it back and signs once with what came back. */
  private async storeAndReadBack(pair: CryptoKeyPair, record?: string): Promise<LoadedKey> {
    const generated = await describeKey(pair);
    await this.database.save(pair, record);
    const readBack = await this.database.load(record);
    const key = isUsable(readBack) ? await describeKey(readBack) : null;
    if (!key || key.thumbprint !== generated.thumbprint) {
      throw new DpopError(
        'key_storage_readback',
        'Could not read the DPoP key back from IndexedDB right after storing it ' +
          `(${key ? 'another key came back' : 'nothing usable came back'}): ` +
          'this browser does not keep CryptoKeys in IndexedDB. Use a current browser outside private mode.',
      );
    }
    return signOnce(key, 'read back from');
  }

  private async createInMemory(): Promise<LoadedKey> {
    const key = await describeKey((await this.algorithms.generateKeyPair()).pair);
    await signAndVerify(key);
    this.storageState.set('memory');
    return key;
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function isUsable(pair: CryptoKeyPair | undefined): pair is CryptoKeyPair {
  return (
    pair?.privateKey instanceof CryptoKey &&
    pair.publicKey instanceof CryptoKey &&
    algorithmOfKey(pair.privateKey) !== null
  );
}

// RFC 7638 §3.2: the required members of each key type, the only ones a thumbprint hashes.
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

async function describeKey(pair: CryptoKeyPair): Promise<LoadedKey> {
  // Public keys are always exportable, even when the pair was generated non-extractable.
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Record<string, unknown>;
  const publicJwk: Record<string, unknown> = {};
  for (const member of THUMBPRINT_MEMBERS[jwk['kty'] as string] ?? []) {
    publicJwk[member] = jwk[member];
  }
  const thumbprint = await calculateJwkThumbprint(publicJwk as JWK, 'sha256');
  return { pair, algorithm: algorithmOfKey(pair.privateKey)!, publicJwk, thumbprint };
}

const PROBE = new TextEncoder().encode('DPoP key probe');

/** Signs once and verifies the signature. */
async function signAndVerify(key: LoadedKey): Promise<void> {
  const jws = await new CompactSign(PROBE)
    .setProtectedHeader({ alg: key.algorithm })
    .sign(key.pair.privateKey);
  await compactVerify(jws, key.pair.publicKey);
}

/** A key that came back from storage broken fails here, at start-up, not in the first proof. */
async function signOnce(key: LoadedKey, where: 'read from' | 'read back from'): Promise<LoadedKey> {
  try {
    await signAndVerify(key);
  } catch (cause) {
    throw new DpopError(
      'key_storage_unusable',
      `The DPoP key ${where} IndexedDB cannot sign (${cause instanceof Error ? cause.name : String(cause)}): ` +
        'this browser does not keep CryptoKeys intact in storage. Use a current browser outside private mode.',
      { cause },
    );
  }
  return key;
}
