import { TestBed } from '@angular/core/testing';
import { deleteDB, openDB } from 'idb';
import { base64url } from 'jose';

import { DPOP_KEY_STORAGE } from './dpop-config';
import { DpopError } from './dpop-error';
import { DpopKeyDatabase, toKeyStorageError } from './dpop-key-database';
import { DpopKeyStore } from './dpop-key-store';
import { DpopProofs } from './dpop-proofs';
import { provideDpop, withKeyStorage } from './provide-dpop';

describe('DpopKeyStore (real WebCrypto and IndexedDB)', () => {
  let databaseName: string;

  /** A fresh injector, as after a page reload: new DpopKeyStore, same database. */
  function newStore(): DpopKeyStore {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideDpop(withKeyStorage({ databaseName }))] });
    return TestBed.inject(DpopKeyStore);
  }

  async function storedRecords(): Promise<number> {
    const db = await openDB(databaseName);
    try {
      return db.objectStoreNames.contains('keys') ? await db.count('keys') : 0;
    } finally {
      db.close();
    }
  }

  beforeEach(() => {
    databaseName = `dpop-test-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(databaseName);
  });

  it('generates an ECDSA P-256 key whose private key is non-extractable (exportKey rejects)', async () => {
    const { privateKey, publicKey } = await newStore().keyPair();
    expect(privateKey.extractable).toBeFalse();
    expect(privateKey.algorithm).toEqual(
      jasmine.objectContaining({ name: 'ECDSA', namedCurve: 'P-256' }),
    );
    expect(privateKey.usages).toEqual(['sign']);
    await expectAsync(crypto.subtle.exportKey('jwk', privateKey)).toBeRejected();
    await expectAsync(crypto.subtle.exportKey('pkcs8', privateKey)).toBeRejected();
    expect(publicKey.usages).toEqual(['verify']);
  });

  it('gives the same key (same thumbprint) to a new DpopKeyStore reading the same database', async () => {
    const first = newStore();
    const thumbprint = await first.thumbprint();
    const second = newStore();
    expect(second).not.toBe(first);
    expect(await second.thumbprint()).toBe(thumbprint);
    expect(await storedRecords()).toBe(1);
  });

  it('uses the database named by withKeyStorage, and "dpop-lab" by default', async () => {
    await newStore().keyPair();
    expect(await storedRecords()).toBe(1);
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideDpop()] });
    expect(TestBed.inject(DPOP_KEY_STORAGE).databaseName).toBe('dpop-lab');
  });

  it('clear() deletes the key from IndexedDB and from memory', async () => {
    const store = newStore();
    const before = await store.thumbprint();
    expect(await storedRecords()).toBe(1);

    await store.clear();
    expect(await storedRecords()).toBe(0);

    // Memory is gone too: the next call makes (and stores) a different key.
    expect(await store.thumbprint()).not.toBe(before);
    expect(await storedRecords()).toBe(1);
  });

  it('rotate() replaces the key, and the new one is what a reload finds', async () => {
    const store = newStore();
    const before = await store.thumbprint();
    const rotated = await store.rotate();
    const after = await store.thumbprint();
    expect(after).not.toBe(before);
    expect(rotated).toBe(await store.keyPair());
    expect(await newStore().thumbprint()).toBe(after);
  });

  it('shares one load/generation between concurrent first calls on a fresh store', async () => {
    const store = newStore();
    const database = TestBed.inject(DpopKeyDatabase);
    const save = spyOn(database, 'save').and.callThrough();
    const load = spyOn(database, 'load').and.callThrough();

    const [a, b, thumbprint] = await Promise.all([
      store.keyPair(),
      store.keyPair(),
      store.thumbprint(),
    ]);

    expect(a).toBe(b);
    // One load, one save, and one read-back of what was saved (the storage probe).
    expect(load).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenCalledTimes(1);
    expect(await newStore().thumbprint()).toBe(thumbprint);
  });

  it('reads IndexedDB once: after the first load, proofs open no database', async () => {
    await newStore().keyPair(); // stored by a previous "page"
    const store = newStore();
    const database = TestBed.inject(DpopKeyDatabase);
    const load = spyOn(database, 'load').and.callThrough();
    const save = spyOn(database, 'save').and.callThrough();
    const opens = spyOn(indexedDB, 'open').and.callThrough();

    await store.keyPair();
    expect(load).toHaveBeenCalledTimes(1);
    expect(opens).toHaveBeenCalledTimes(1);

    const proofs = TestBed.inject(DpopProofs);
    for (let i = 0; i < 5; i++) {
      await proofs.create({ method: 'GET', url: 'https://api.example.com/x', accessToken: 't' });
    }
    await store.publicJwk();
    await store.thumbprint();

    expect(load).toHaveBeenCalledTimes(1);
    expect(opens).toHaveBeenCalledTimes(1);
    expect(save).not.toHaveBeenCalled();
  });

  it('publicJwk() has only kty, crv, x, y — no private member', async () => {
    const jwk = await newStore().publicJwk();
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(jwk.kty).toBe('EC');
    expect(jwk.crv).toBe('P-256');
  });

  it('thumbprint() is the RFC 7638 SHA-256 thumbprint of the public JWK', async () => {
    const store = newStore();
    const { crv, kty, x, y } = await store.publicJwk();
    // RFC 7638 §3: required members only, lexicographic order, no whitespace.
    const canonical = JSON.stringify({ crv, kty, x, y });
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
    expect(await store.thumbprint()).toBe(base64url.encode(new Uint8Array(digest)));
  });

  it("storage() is 'unknown' before the first load and 'indexeddb' after it", async () => {
    const store = newStore();
    expect(store.storage()).toBe('unknown');
    await store.keyPair();
    expect(store.storage()).toBe('indexeddb');
  });

  it('surfaces a real IndexedDB failure as a DpopError that says what to do, and tries again next call', async () => {
    // A database with the same name at a newer version makes IndexedDB fail with VersionError.
    (await openDB(databaseName, 5)).close();
    const store = newStore();

    const error = await store.keyPair().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).code).toBe('key_storage_version');
    expect((error as DpopError).message).toContain(databaseName);
    expect((error as DpopError).message).toContain('withKeyStorage');
    expect(store.storage()).toBe('unknown');

    // The failure is not cached: once the cause is gone, the same store works.
    await deleteDB(databaseName);
    await expectAsync(store.keyPair()).toBeResolved();
  });

  const mapped: [string, string, string][] = [
    ['QuotaExceededError', 'key_storage_quota', 'quota'],
    ['DataCloneError', 'key_storage_clone', 'DataCloneError'],
    ['BlockedError', 'key_storage_blocked', 'Close the other tabs'],
    ['InvalidStateError', 'key_storage_unavailable', 'IndexedDB is unavailable'],
    ['AbortError', 'key_storage_failed', 'AbortError'],
  ];
  for (const [name, code, text] of mapped) {
    it(`turns an IndexedDB ${name} into DpopError ${code} with a plain message`, () => {
      const error = toKeyStorageError(new DOMException('boom', name), 'store the DPoP key', 'db');
      expect(error).toBeInstanceOf(DpopError);
      expect(error.code).toBe(code);
      expect(error.message).toContain('store the DPoP key');
      expect(error.message).toContain(text);
    });
  }
});
