import { inject, Injectable } from '@angular/core';

import { DPOP_KEY_STORAGE } from '../dpop-config';
import { DpopError, isKeyStorageError } from '../dpop-error';
import { DpopKeyStatus } from '../dpop-key-status';
import { DpopAlgorithms } from './dpop-algorithms';
import { checkKeySigns, describeKey, DpopKey, isUsable } from './dpop-key';
import { DpopKeyDatabase, PROBE_RECORD } from './dpop-key-database';

/**
 * The DPoP key pair: private key non-extractable, persisted in IndexedDB; ES256 (ECDSA P-256)
 * unless algorithm negotiation (`DpopAlgorithms`) calls for another.
 *
 * Loaded once and then kept in memory, so a proof costs one signature and no storage access.
 * Every storage operation runs on one queue: concurrent first calls share one load (one key,
 * never two racing `put`s), and a `delete()` cannot interleave with a load that would write the
 * old key back.
 *
 * Storage is checked before it is trusted: generate → store → read back → sign once, because
 * some browsers accept the `put` of a `CryptoKey` and then return nothing, or refuse it
 * (`DataCloneError`), or IndexedDB is missing altogether (private modes, disabled site data).
 * With `withKeyStorage({ memoryFallback: true })` such a failure leaves this tab with a key that
 * lives in memory only: it sets `DpopKeyStatus` (read as `Dpop.storage()`, `Dpop.storageProblem()`)
 * to `'memory'` and why.
 *
 * Loaded on first use (`Dpop`, the interceptor's sender), with the code below: a signed-out
 * visitor's first page neither reads nor makes a key.
 */
@Injectable({ providedIn: 'root' })
export class DpopKeyStore {
  private readonly database = inject(DpopKeyDatabase);
  /** Which algorithm a new key uses: negotiated with the servers (`Dpop.prepare`, the sender). */
  private readonly algorithms = inject(DpopAlgorithms);
  private readonly memoryFallback = inject(DPOP_KEY_STORAGE).memoryFallback;
  /** Where the key is kept and why it is memory-only: set here, read through `Dpop`. */
  private readonly status = inject(DpopKeyStatus);
  private current: Promise<DpopKey> | null = null;
  /** Counts the calls that set `current` (`key()` starting a load, `replace()`, `delete()`). */
  private changes = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /** The key proofs are signed with: read from storage once, made (and stored) when there is none. */
  key(): Promise<DpopKey> {
    if (!this.current) {
      this.changes++;
      const loading = this.serialize(() => this.loadOrCreate());
      // A failed load is not kept: the next call tries again (e.g. after the user frees storage).
      loading.catch(() => {
        if (this.current === loading) this.current = null;
      });
      this.current = loading;
    }
    return this.current;
  }

  /**
   * The key storage holds now, read again (another tab may have replaced it), or null; never makes
   * one. The first call with nothing stored also checks the storage with a throwaway key, so a
   * browser that will not keep keys is found before sign-in. What it read becomes the key in
   * memory unless a `key()`, `replace()` or `delete()` called after it set that already.
   */
  stored(): Promise<DpopKey | null> {
    if (this.memoryOnly) return this.current ?? Promise.resolve(null);
    const changes = this.changes;
    return this.serialize(async () => {
      let key: DpopKey | null = null;
      try {
        key = await this.readStored();
        if (!key && this.status.storage() === 'unknown') await this.checkStorage();
      } catch (error) {
        this.fallBackOrThrow(error);
      }
      if (this.changes === changes) this.current = key ? Promise.resolve(key) : null;
      return key;
    });
  }

  /** A new key in place of the old one; tokens bound to the old key stop working, by design. */
  replace(): Promise<DpopKey> {
    const replacing = this.serialize(async () => {
      if (!this.memoryOnly) await this.database.delete().catch((e) => this.fallBackOrThrow(e));
      return this.create();
    });
    replacing.catch(() => {
      if (this.current === replacing) this.current = null;
    });
    this.changes++;
    this.current = replacing;
    return replacing;
  }

  /** Deletes the key from storage and memory; the next `key()` makes a new one. */
  delete(): Promise<void> {
    this.changes++;
    this.current = null;
    if (this.memoryOnly) return Promise.resolve();
    return this.serialize(() => this.database.delete());
  }

  private get memoryOnly(): boolean {
    return this.status.storage() === 'memory';
  }

  private async loadOrCreate(): Promise<DpopKey> {
    if (!this.memoryOnly) {
      try {
        const stored = await this.readStored();
        if (stored) return stored;
      } catch (error) {
        this.fallBackOrThrow(error);
      }
    }
    return this.create();
  }

  /** A new key, stored and read back; in memory only when storage failed and the fallback is on. */
  private async create(): Promise<DpopKey> {
    if (!this.memoryOnly) {
      try {
        return await this.storeAndReadBack(await this.generate());
      } catch (error) {
        this.fallBackOrThrow(error);
      }
    }
    const key = await describeKey(await this.generate());
    this.status.storage.set('memory');
    return key;
  }

  private async readStored(): Promise<DpopKey | null> {
    const pair = await this.database.load();
    if (!isUsable(pair)) return null; // nothing stored, or a key this code cannot sign with
    const key = await checkKeySigns(pair, await describeKey(pair), 'read from IndexedDB');
    this.status.storage.set('indexeddb');
    return key;
  }

  /** Stores `pair`, reads it back and signs once with what came back. */
  private async storeAndReadBack(pair: CryptoKeyPair, record?: string): Promise<DpopKey> {
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
    await checkKeySigns(readBack!, key, 'read back from IndexedDB');
    this.status.storage.set('indexeddb');
    return key;
  }

  /** Stores, reads back and signs with a throwaway key, then deletes it: a signed-out visitor keeps no key. */
  private async checkStorage(): Promise<void> {
    try {
      await this.storeAndReadBack(await this.generate(), PROBE_RECORD);
    } finally {
      await this.database.delete(PROBE_RECORD).catch(() => undefined);
    }
  }

  /** With the memory fallback, a storage failure makes this tab memory-only; anything else throws. */
  private fallBackOrThrow(error: unknown): void {
    if (!this.memoryFallback || !isKeyStorageError(error)) throw error;
    this.status.problem.set(error);
    this.status.storage.set('memory');
  }

  private generate(): Promise<CryptoKeyPair> {
    return this.algorithms.generateKeyPair();
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
