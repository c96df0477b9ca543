import { inject, Injectable } from '@angular/core';
import { DBSchema, IDBPDatabase, openDB } from 'idb';

import { DPOP_KEY_STORAGE } from '../dpop-config';
import { toKeyStorageError } from './key-storage-error';

const STORE = 'keys';
const KEY = 'dpop';
/** Where the start-up probe stores, reads back and deletes its throwaway key. */
export const PROBE_RECORD = 'probe';

interface DpopKeySchema extends DBSchema {
  keys: { key: string; value: CryptoKeyPair };
}

/**
 * The one place that touches IndexedDB: load, save and delete the key pair.
 *
 * A `CryptoKeyPair` is stored as is (structured clone), so the non-extractable private key
 * never leaves WebCrypto — not even as a JWK in storage (RFC 9449 §2 assumes the key cannot be
 * exfiltrated). Each call opens and closes its own connection: these calls are rare (once per
 * page load, once per rotation) and an idle open connection would block another tab's upgrade
 * or `deleteDatabase`.
 *
 * When IndexedDB fails, `DpopKeyStore` decides what happens: an error, or a memory-only key
 * (`withKeyStorage({ memoryFallback: true })`).
 */
@Injectable({ providedIn: 'root' })
export class DpopKeyDatabase {
  private readonly databaseName = inject(DPOP_KEY_STORAGE).databaseName;

  /** `record`: the key pair's name in the store; the default is the one key the app signs with. */
  async load(record = KEY): Promise<CryptoKeyPair | undefined> {
    return this.run('read the DPoP key', (db) => db.get(STORE, record));
  }

  async save(pair: CryptoKeyPair, record = KEY): Promise<void> {
    await this.run('store the DPoP key', (db) => db.put(STORE, pair, record));
  }

  async delete(record = KEY): Promise<void> {
    await this.run('delete the DPoP key', (db) => db.delete(STORE, record));
  }

  private async run<T>(
    action: string,
    operation: (db: IDBPDatabase<DpopKeySchema>) => Promise<T>,
  ): Promise<T> {
    const db = await this.open(action);
    try {
      return await operation(db);
    } catch (error) {
      throw toKeyStorageError(error, action, this.databaseName);
    } finally {
      db.close();
    }
  }

  private open(action: string): Promise<IDBPDatabase<DpopKeySchema>> {
    const name = this.databaseName;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        settled = true;
        reject(toKeyStorageError(error, action, name));
      };
      let opening: Promise<IDBPDatabase<DpopKeySchema>>;
      try {
        opening = openDB<DpopKeySchema>(name, 1, {
          upgrade: (db) => db.createObjectStore(STORE),
          // Another tab holds an older version open; waiting would hang every API call.
          blocked: () => fail(new DOMException('open blocked', 'BlockedError')),
          blocking: (_current, _next, event) => (event.target as IDBDatabase).close(),
        });
      } catch (error) {
        // `indexedDB` itself is missing (very old or locked-down browsers, non-browser hosts).
        fail(error);
        return;
      }
      opening.then(
        (db) => {
          if (settled) {
            db.close();
          } else {
            settled = true;
            resolve(db);
          }
        },
        (error: unknown) => {
          if (!settled) fail(error);
        },
      );
    });
  }
}
