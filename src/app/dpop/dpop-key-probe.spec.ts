import { TestBed } from '@angular/core/testing';
import { deleteDB, openDB } from 'idb';
import { EmbeddedJWK, jwtVerify } from 'jose';

import { DpopAlgorithms } from './dpop-algorithms';
import { DpopError } from './dpop-error';
import { DpopKeyDatabase } from './dpop-key-database';
import { DpopKeyStore } from './dpop-key-store';
import { DpopProofs } from './dpop-proofs';
import { DpopFeature, provideDpop, withKeyStorage, withMemoryKeyFallback } from './provide-dpop';

/**
 * The start-up storage probe (generate → store → read back → sign once) and the memory-only
 * fallback, with real WebCrypto and IndexedDB. Where a test needs a browser to misbehave the way
 * some do (Safari's DataCloneError, a key that does not come back), only that one call is bent.
 */
describe('DpopKeyStore storage probe and memory-only fallback', () => {
  let databaseName: string;

  function newStore(...features: DpopFeature[]): DpopKeyStore {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideDpop(withKeyStorage({ databaseName }), ...features)],
    });
    return TestBed.inject(DpopKeyStore);
  }

  async function storedRecords(): Promise<number> {
    const databases = await indexedDB.databases();
    if (!databases.some((d) => d.name === databaseName)) return 0;
    const db = await openDB(databaseName);
    try {
      return db.objectStoreNames.contains('keys') ? await db.count('keys') : 0;
    } finally {
      db.close();
    }
  }

  /** A proof made with the store's key verifies with the key it carries. */
  async function expectWorkingProofs(): Promise<void> {
    const proof = await TestBed.inject(DpopProofs).create({
      method: 'GET',
      url: 'https://api.example.test/x',
    });
    await expectAsync(jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })).toBeResolved();
  }

  beforeEach(() => {
    databaseName = `dpop-probe-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(databaseName);
  });

  it('probe() without a stored key: a throwaway key is stored, read back, signs once and is deleted', async () => {
    const store = newStore(withMemoryKeyFallback());
    const database = TestBed.inject(DpopKeyDatabase);
    const load = spyOn(database, 'load').and.callThrough();
    const save = spyOn(database, 'save').and.callThrough();
    const remove = spyOn(database, 'delete').and.callThrough();
    const sign = spyOn(crypto.subtle, 'sign').and.callThrough();

    expect(await store.probe()).toBe('indexeddb');
    expect(load.calls.allArgs()).toEqual([[], ['probe']]); // the app's key? none; the read-back
    expect(save).toHaveBeenCalledOnceWith(jasmine.anything(), 'probe');
    expect(sign).toHaveBeenCalledTimes(1); // the one probe signature
    expect(remove).toHaveBeenCalledOnceWith('probe');
    expect(store.storageProblem()).toBeNull();
    // A signed-out visitor keeps no key; the first real key is made (and checked) at sign-in.
    expect(await storedRecords()).toBe(0);
  });

  it('probe() with a stored key (signed in on an earlier page) loads it and signs once with it', async () => {
    const thumbprint = await newStore().thumbprint();
    const store = newStore(withMemoryKeyFallback());
    const sign = spyOn(crypto.subtle, 'sign').and.callThrough();
    const save = spyOn(TestBed.inject(DpopKeyDatabase), 'save').and.callThrough();
    expect(await store.probe()).toBe('indexeddb');
    expect(sign).toHaveBeenCalledTimes(1);
    expect(save).not.toHaveBeenCalled();
    expect(await store.thumbprint()).toBe(thumbprint);
  });

  it('checks a new key the same way when it is stored (store → read back → sign once)', async () => {
    const store = newStore(withMemoryKeyFallback());
    const database = TestBed.inject(DpopKeyDatabase);
    const load = spyOn(database, 'load').and.callThrough();
    const thumbprint = await store.thumbprint();
    expect(load).toHaveBeenCalledTimes(2);
    expect(await newStore().thumbprint()).toBe(thumbprint);
  });

  it('falls back to a memory-only key when IndexedDB cannot even be opened, and says why', async () => {
    // What private modes and "block site data" do: indexedDB.open throws.
    spyOn(indexedDB, 'open').and.throwError(new DOMException('The user denied', 'SecurityError'));
    const store = newStore(withMemoryKeyFallback());

    expect(await store.probe()).toBe('memory');
    expect(store.storage()).toBe('memory');
    expect(store.storageProblem()?.code).toBe('key_storage_unavailable');
    const { privateKey } = await store.keyPair();
    expect(privateKey.extractable).toBeFalse();
    await expectWorkingProofs();
  });

  it('without withMemoryKeyFallback() the same failure is an error (the app decides)', async () => {
    spyOn(indexedDB, 'open').and.throwError(new DOMException('The user denied', 'SecurityError'));
    const store = newStore();
    await expectAsync(store.probe()).toBeRejectedWith(
      jasmine.objectContaining({ code: 'key_storage_unavailable' }),
    );
    expect(store.storage()).toBe('unknown');
  });

  it('falls back when IndexedDB really fails (a newer database version: VersionError)', async () => {
    (await openDB(databaseName, 7)).close();
    const store = newStore(withMemoryKeyFallback());
    expect(await store.probe()).toBe('memory');
    expect(store.storageProblem()?.code).toBe('key_storage_version');
    await expectWorkingProofs();
  });

  it('falls back when the browser refuses to store a CryptoKey (DataCloneError, as Safari did)', async () => {
    spyOn(IDBObjectStore.prototype, 'put').and.throwError(
      new DOMException('CryptoKey could not be cloned', 'DataCloneError'),
    );
    const store = newStore(withMemoryKeyFallback());
    expect(await store.probe()).toBe('memory');
    expect(store.storageProblem()?.code).toBe('key_storage_clone');
    expect(await storedRecords()).toBe(0);
  });

  it('falls back when the stored key does not come back (the read-back)', async () => {
    const store = newStore(withMemoryKeyFallback());
    const database = TestBed.inject(DpopKeyDatabase);
    const save = spyOn(database, 'save').and.callThrough();
    spyOn(database, 'load').and.callFake(async () => undefined); // the put "worked", the get did not
    expect(await store.probe()).toBe('memory');
    expect(save).toHaveBeenCalledTimes(1);
    expect(store.storageProblem()?.code).toBe('key_storage_readback');
    expect(store.storageProblem()?.message).toContain('read the DPoP key back');
  });

  it('falls back when the key read back cannot sign (the sign-once check)', async () => {
    const store = newStore(withMemoryKeyFallback());
    const database = TestBed.inject(DpopKeyDatabase);
    let saved: CryptoKeyPair | undefined;
    spyOn(database, 'save').and.callFake(async (pair: CryptoKeyPair) => {
      saved = pair;
    });
    // Comes back with the right public key, but a "private" key that cannot sign.
    spyOn(database, 'load').and.callFake(async () =>
      saved ? { publicKey: saved.publicKey, privateKey: saved.publicKey } : undefined,
    );
    expect(await store.probe()).toBe('memory');
    expect(store.storageProblem()?.code).toBe('key_storage_unusable');
    await expectWorkingProofs();
  });

  it('stays memory-only for the tab: rotate() makes a new memory key and never opens IndexedDB again', async () => {
    const open = spyOn(indexedDB, 'open').and.throwError(
      new DOMException('The user denied', 'SecurityError'),
    );
    const store = newStore(withMemoryKeyFallback());
    const before = await store.thumbprint();
    const calls = open.calls.count();
    await store.rotate();
    await store.clear();
    expect(await store.thumbprint()).not.toBe(before);
    expect(open.calls.count()).toBe(calls);
    expect(store.storage()).toBe('memory');
  });

  it('does not hide other errors behind the fallback (no algorithm in common)', async () => {
    const store = newStore(withMemoryKeyFallback());
    TestBed.inject(DpopAlgorithms).accept('https://as.test/', ['ES512'], 'the server');
    const error = await store.probe().then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as DpopError).code).toBe('no_common_algorithm');
    expect(store.storage()).toBe('unknown');
  });

  it('invalidate() reads the stored key again (another tab replaced it)', async () => {
    const mine = newStore();
    const before = await mine.thumbprint();
    // "Another tab": a second store on the same database rotates the key.
    const other = TestBed.runInInjectionContext(() => new DpopKeyStore());
    const replaced = await other.rotate().then(() => other.thumbprint());
    expect(await mine.thumbprint()).toBe(before); // still the key held in memory
    mine.invalidate();
    expect(await mine.thumbprint()).toBe(replaced);
  });

  for (const alg of ['EdDSA', 'PS256', 'RS256'] as const) {
    it(`keeps a negotiated ${alg} key across a reload and signs proofs with alg ${alg}`, async () => {
      const store = newStore();
      TestBed.inject(DpopAlgorithms).accept('https://as.test/', [alg], 'the server');
      const thumbprint = await store.thumbprint();
      expect(await store.algorithm()).toBe(alg);

      const reloaded = newStore(); // no server heard from yet: the stored key is kept as it is
      expect(await reloaded.thumbprint()).toBe(thumbprint);
      expect(await reloaded.algorithm()).toBe(alg);
      const proof = await TestBed.inject(DpopProofs).create({
        method: 'POST',
        url: 'https://as.test/token',
      });
      const { protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
      expect(protectedHeader.alg).toBe(alg);
      expect(Object.keys(protectedHeader.jwk!).sort()).toEqual(
        alg === 'EdDSA' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n'],
      );
    });
  }
});
