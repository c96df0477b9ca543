import { inject, Injectable } from '@angular/core';
import { DBSchema, IDBPDatabase, openDB } from 'idb';

import { DPOP_KEY_STORAGE } from './dpop-config';
import { DpopError } from './dpop-error';

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
 * This is the seam for other storage: provide another implementation of this class to keep the
 * key elsewhere. When IndexedDB fails, `DpopKeyStore` itself falls back to a memory-only key
 * (`withMemoryKeyFallback()`), and its `storage` signal reports `'memory'`.
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

/** Turns an IndexedDB failure into a `DpopError` that says what failed and what to do. */
export function toKeyStorageError(error: unknown, action: string, databaseName: string): DpopError {
  if (error instanceof DpopError) {
    return error;
  }
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const where = `IndexedDB database "${databaseName}"`;
  switch (name) {
    case 'BlockedError':
      return new DpopError(
        'key_storage_blocked',
        `Could not ${action}: the ${where} is held open by another tab of this app. ` +
          'Close the other tabs and reload.',
        { cause: error },
      );
    case 'QuotaExceededError':
      return new DpopError(
        'key_storage_quota',
        `Could not ${action}: the browser's storage quota for this site is exhausted. ` +
          'Free up site data (DevTools → Application → Storage) and reload.',
        { cause: error },
      );
    case 'DataCloneError':
      return new DpopError(
        'key_storage_clone',
        `Could not ${action}: this browser cannot store a CryptoKey in IndexedDB (DataCloneError). ` +
          'Use a current Chrome, Edge, Firefox or Safari.',
        { cause: error },
      );
    case 'VersionError':
      return new DpopError(
        'key_storage_version',
        `Could not ${action}: the ${where} exists with a newer version than this app expects. ` +
          'Clear this site’s data, or configure another name with withKeyStorage({ databaseName }).',
        { cause: error },
      );
    case 'InvalidStateError':
    case 'SecurityError':
    case 'UnknownError':
    case 'ReferenceError':
      return new DpopError(
        'key_storage_unavailable',
        `Could not ${action}: IndexedDB is unavailable (private browsing, disabled site data, ` +
          'or an insecure context). Allow site data for this origin and reload.',
        { cause: error },
      );
    default:
      return new DpopError(
        'key_storage_failed',
        `Could not ${action} in the ${where}: ${describe(error)}. ` +
          'Reload; if it persists, clear this site’s data.',
        { cause: error },
      );
  }
}

function describe(error: unknown): string {
  return error instanceof Error || error instanceof DOMException
    ? `${error.name}: ${error.message}`
    : String(error);
}
