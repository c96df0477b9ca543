/**
 * The key store's test fixture: `const t = keyStoreTestbed()` in a `describe` gives each test a
 * database of its own, `t.newStore()` a fresh injector on it (as after a page reload) and
 * `t.storedRecords()` what IndexedDB holds. WebCrypto and IndexedDB are real.
 */
import { TestBed } from '@angular/core/testing';
import { signProof } from '@dpop-lab/protocol';
import { deleteDB, openDB } from 'idb';
import { EmbeddedJWK, jwtVerify, JWTVerifyResult } from 'jose';

import { DpopFeature, provideDpop, withKeyStorage } from '../lib/provide-dpop';
import { DpopKeyStore } from '../lib/runtime/dpop-key-store';

export interface KeyStoreTestbed {
  databaseName: string;
  /** A new injector on the same database: a new `DpopKeyStore`, as after a reload. */
  newStore(options?: { memoryFallback?: boolean; features?: DpopFeature[] }): DpopKeyStore;
  /** How many key pairs the database holds. */
  storedRecords(): Promise<number>;
  /** A proof signed with the store's key, verified with the key in its header. */
  verifiedProof(store: DpopKeyStore): Promise<JWTVerifyResult>;
}

export function keyStoreTestbed(): KeyStoreTestbed {
  const t: KeyStoreTestbed = {
    databaseName: '',
    newStore({ memoryFallback = false, features = [] } = {}) {
      TestBed.resetTestingModule();
      TestBed.configureTestingModule({
        providers: [
          provideDpop(
            withKeyStorage({ databaseName: t.databaseName, memoryFallback }),
            ...features,
          ),
        ],
      });
      return TestBed.inject(DpopKeyStore);
    },
    async storedRecords() {
      const databases = await indexedDB.databases();
      if (!databases.some((d) => d.name === t.databaseName)) return 0;
      const db = await openDB(t.databaseName);
      try {
        return db.objectStoreNames.contains('keys') ? await db.count('keys') : 0;
      } finally {
        db.close();
      }
    },
    async verifiedProof(store) {
      const proof = await signProof(await store.key(), {
        htm: 'POST',
        htu: 'https://as.example.test/token',
      });
      return jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    },
  };
  beforeEach(() => {
    t.databaseName = `dpop-keys-${crypto.randomUUID()}`;
  });
  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(t.databaseName);
  });
  return t;
}
