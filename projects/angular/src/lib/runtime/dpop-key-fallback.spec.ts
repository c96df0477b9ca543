import { TestBed } from '@angular/core/testing';
import { openDB } from 'idb';

import { DpopAlgorithms } from './dpop-algorithms';
import { DpopKeyDatabase } from './dpop-key-database';
import { DpopKeyStatus } from '../dpop-key-status';
import { keyStoreTestbed } from '../../testing/key-store-testbed';

/**
 * The storage check (generate → store → read back → sign once) and the memory-only fallback, with
 * real WebCrypto and IndexedDB. Where a test needs a browser to misbehave the way some do
 * (Safari's DataCloneError, a key that does not come back), only that one call is bent.
 */
describe('DpopKeyStore storage check and memory-only fallback', () => {
  const t = keyStoreTestbed();
  /** Where the key store says the key lives (what `Dpop.storage()` reads). */
  const status = () => TestBed.inject(DpopKeyStatus);

  it('stored() with nothing stored: a throwaway key is stored, read back, signs once and is deleted', async () => {
    const store = t.newStore({ memoryFallback: true });
    const database = TestBed.inject(DpopKeyDatabase);
    const load = spyOn(database, 'load').and.callThrough();
    const save = spyOn(database, 'save').and.callThrough();
    const remove = spyOn(database, 'delete').and.callThrough();
    const sign = spyOn(crypto.subtle, 'sign').and.callThrough();

    expect(await store.stored()).toBeNull();
    expect(status().storage()).toBe('indexeddb');
    expect(load.calls.allArgs()).toEqual([[], ['probe']]); // the app's key? none; the read-back
    expect(save).toHaveBeenCalledOnceWith(jasmine.anything(), 'probe');
    expect(sign).toHaveBeenCalledTimes(1); // the one check signature
    expect(remove).toHaveBeenCalledOnceWith('probe');
    expect(status().problem()).toBeNull();
    // A signed-out visitor keeps no key; the first real key is made (and checked) at sign-in.
    expect(await t.storedRecords()).toBe(0);
  });

  it('stored() with a key stored on an earlier page loads it and signs once with it', async () => {
    const { thumbprint } = await t.newStore().key();
    const store = t.newStore({ memoryFallback: true });
    const sign = spyOn(crypto.subtle, 'sign').and.callThrough();
    const save = spyOn(TestBed.inject(DpopKeyDatabase), 'save').and.callThrough();
    expect((await store.stored())?.thumbprint).toBe(thumbprint);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(save).not.toHaveBeenCalled();
    expect(status().storage()).toBe('indexeddb');
  });

  it('checks a new key the same way when it is stored (store → read back → sign once)', async () => {
    const store = t.newStore({ memoryFallback: true });
    const load = spyOn(TestBed.inject(DpopKeyDatabase), 'load').and.callThrough();
    const { thumbprint } = await store.key();
    expect(load).toHaveBeenCalledTimes(2);
    expect((await t.newStore().key()).thumbprint).toBe(thumbprint);
  });

  it('falls back to a memory-only key when IndexedDB cannot even be opened, and says why', async () => {
    // What private modes and "block site data" do: indexedDB.open throws.
    spyOn(indexedDB, 'open').and.throwError(new DOMException('The user denied', 'SecurityError'));
    const store = t.newStore({ memoryFallback: true });

    expect(await store.stored()).toBeNull();
    expect(status().storage()).toBe('memory');
    expect(status().problem()?.code).toBe('key_storage_unavailable');
    expect((await store.key()).extractable).toBeFalse();
    await expectAsync(t.verifiedProof(store)).toBeResolved();
  });

  it('without the memory fallback the same failure is an error (the app decides)', async () => {
    spyOn(indexedDB, 'open').and.throwError(new DOMException('The user denied', 'SecurityError'));
    const store = t.newStore();
    await expectAsync(store.stored()).toBeRejectedWith(
      jasmine.objectContaining({ code: 'key_storage_unavailable' }),
    );
    expect(status().storage()).toBe('unknown');
  });

  it('falls back when IndexedDB really fails (a newer database version: VersionError)', async () => {
    (await openDB(t.databaseName, 7)).close();
    const store = t.newStore({ memoryFallback: true });
    await store.stored();
    expect(status().storage()).toBe('memory');
    expect(status().problem()?.code).toBe('key_storage_version');
    await expectAsync(t.verifiedProof(store)).toBeResolved();
  });

  it('falls back when the browser refuses to store a CryptoKey (DataCloneError, as Safari did)', async () => {
    spyOn(IDBObjectStore.prototype, 'put').and.throwError(
      new DOMException('CryptoKey could not be cloned', 'DataCloneError'),
    );
    const store = t.newStore({ memoryFallback: true });
    await store.stored();
    expect(status().storage()).toBe('memory');
    expect(status().problem()?.code).toBe('key_storage_clone');
    expect(await t.storedRecords()).toBe(0);
  });

  it('falls back when the stored key does not come back (the read-back)', async () => {
    const store = t.newStore({ memoryFallback: true });
    const database = TestBed.inject(DpopKeyDatabase);
    const save = spyOn(database, 'save').and.callThrough();
    spyOn(database, 'load').and.callFake(async () => undefined); // the put "worked", the get did not
    await store.stored();
    expect(status().storage()).toBe('memory');
    expect(save).toHaveBeenCalledTimes(1);
    expect(status().problem()?.code).toBe('key_storage_readback');
    expect(status().problem()?.message).toContain('read the DPoP key back');
  });

  it('falls back when the key read back cannot sign (the sign-once check)', async () => {
    const store = t.newStore({ memoryFallback: true });
    const database = TestBed.inject(DpopKeyDatabase);
    let saved: CryptoKeyPair | undefined;
    spyOn(database, 'save').and.callFake(async (pair: CryptoKeyPair) => {
      saved = pair;
    });
    // Comes back with the right public key, but a "private" key that cannot sign.
    spyOn(database, 'load').and.callFake(async () =>
      saved ? { publicKey: saved.publicKey, privateKey: saved.publicKey } : undefined,
    );
    await store.stored();
    expect(status().storage()).toBe('memory');
    expect(status().problem()?.code).toBe('key_storage_unusable');
    await expectAsync(t.verifiedProof(store)).toBeResolved();
  });

  it('stays memory-only for the tab: replace() makes a new memory key and never opens IndexedDB again', async () => {
    const open = spyOn(indexedDB, 'open').and.throwError(
      new DOMException('The user denied', 'SecurityError'),
    );
    const store = t.newStore({ memoryFallback: true });
    const before = (await store.key()).thumbprint;
    const calls = open.calls.count();
    await store.replace();
    await store.delete();
    expect((await store.key()).thumbprint).not.toBe(before);
    expect(open.calls.count()).toBe(calls);
    expect(status().storage()).toBe('memory');
  });

  it('does not hide other errors behind the fallback (no algorithm in common)', async () => {
    const store = t.newStore({ memoryFallback: true });
    TestBed.inject(DpopAlgorithms).accept('https://as.test/', ['ES512'], 'the server');
    await expectAsync(store.stored()).toBeRejectedWith(
      jasmine.objectContaining({ code: 'no_common_algorithm' }),
    );
    expect(status().storage()).toBe('unknown');
  });
});
