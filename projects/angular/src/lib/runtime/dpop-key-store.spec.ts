import { TestBed } from '@angular/core/testing';
import { deleteDB, openDB } from 'idb';
import { base64url } from 'jose';

import { DpopAlgorithms } from './dpop-algorithms';
import { DPOP_KEY_STORAGE } from '../dpop-config';
import { DpopError } from '../dpop-error';
import { DpopKeyDatabase } from './dpop-key-database';
import { DpopKeyStatus } from '../dpop-key-status';
import { DpopKeyStore } from './dpop-key-store';
import { toKeyStorageError } from './key-storage-error';
import { provideDpop } from '../provide-dpop';
import { keyStoreTestbed } from '../../testing/key-store-testbed';

describe('DpopKeyStore (real WebCrypto and IndexedDB)', () => {
  const t = keyStoreTestbed();

  it('generates an ECDSA P-256 key whose private key is non-extractable (exportKey rejects)', async () => {
    const key = await t.newStore().key();
    expect(key.extractable).toBeFalse();
    expect('privateKey' in key)
      .withContext('the key store never hands out the CryptoKey')
      .toBeFalse();
    // What IndexedDB holds: the pair itself, its private half unreadable even to this origin.
    const { privateKey } = (await TestBed.inject(DpopKeyDatabase).load())!;
    expect(privateKey.extractable).toBeFalse();
    expect(privateKey.algorithm).toEqual(
      jasmine.objectContaining({ name: 'ECDSA', namedCurve: 'P-256' }),
    );
    expect(privateKey.usages).toEqual(['sign']);
    await expectAsync(crypto.subtle.exportKey('jwk', privateKey)).toBeRejected();
    await expectAsync(crypto.subtle.exportKey('pkcs8', privateKey)).toBeRejected();
  });

  it('gives the same key (same thumbprint) to a new DpopKeyStore reading the same database', async () => {
    const first = t.newStore();
    const { thumbprint } = await first.key();
    const second = t.newStore();
    expect(second).not.toBe(first);
    expect((await second.key()).thumbprint).toBe(thumbprint);
    expect(await t.storedRecords()).toBe(1);
  });

  it('uses the database named by withKeyStorage, and "dpop-keys" by default', async () => {
    await t.newStore().key();
    expect(await t.storedRecords()).toBe(1);
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideDpop()] });
    expect(TestBed.inject(DPOP_KEY_STORAGE)).toEqual({
      databaseName: 'dpop-keys',
      memoryFallback: false,
    });
  });

  it('delete() deletes the key from IndexedDB and from memory', async () => {
    const store = t.newStore();
    const before = (await store.key()).thumbprint;
    await store.delete();
    expect(await t.storedRecords()).toBe(0);

    // Memory is gone too: the next call makes (and stores) a different key.
    expect((await store.key()).thumbprint).not.toBe(before);
    expect(await t.storedRecords()).toBe(1);
  });

  it('replace() makes a new key, and the new one is what a reload finds', async () => {
    const store = t.newStore();
    const before = (await store.key()).thumbprint;
    const replaced = await store.replace();
    expect(replaced.thumbprint).not.toBe(before);
    expect(await store.key()).toBe(replaced);
    expect((await t.newStore().key()).thumbprint).toBe(replaced.thumbprint);
  });

  it('stored() reads again what storage holds (another tab replaced the key), and never makes one', async () => {
    const mine = t.newStore();
    const before = (await mine.key()).thumbprint;
    // "Another tab": a second store on the same database replaces the key.
    const other = TestBed.runInInjectionContext(() => new DpopKeyStore());
    const replaced = (await other.replace()).thumbprint;
    expect((await mine.key()).thumbprint).toBe(before); // still the key held in memory
    expect((await mine.stored())?.thumbprint).toBe(replaced);
    expect((await mine.key()).thumbprint).toBe(replaced);

    await other.delete();
    expect(await mine.stored()).toBeNull();
    expect(await t.storedRecords()).toBe(0);
  });

  it('stored() then replace(), not awaited in between: the replaced key is the one kept', async () => {
    await t.newStore().key(); // stored by a previous "page"
    const store = t.newStore();
    const reading = store.stored();
    const replacing = store.replace();
    await reading;
    const { thumbprint } = await replacing;
    expect((await store.key()).thumbprint).toBe(thumbprint);
  });

  it('stored() then delete(), not awaited in between: the next key() makes a new key', async () => {
    const before = (await t.newStore().key()).thumbprint; // stored by a previous "page"
    const store = t.newStore();
    const reading = store.stored();
    const deleting = store.delete();
    expect((await reading)?.thumbprint).toBe(before);
    await deleting;
    expect((await store.key()).thumbprint).not.toBe(before);
  });

  it('shares one load/generation between concurrent first calls on a fresh store', async () => {
    const store = t.newStore();
    const database = TestBed.inject(DpopKeyDatabase);
    const save = spyOn(database, 'save').and.callThrough();
    const load = spyOn(database, 'load').and.callThrough();

    const [a, b] = await Promise.all([store.key(), store.key()]);

    expect(a).toBe(b);
    // One load, one save, and one read-back of what was saved.
    expect(load).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenCalledTimes(1);
    expect((await t.newStore().key()).thumbprint).toBe(a.thumbprint);
  });

  it('reads IndexedDB once: after the first load, proofs open no database', async () => {
    await t.newStore().key(); // stored by a previous "page"
    const store = t.newStore();
    const load = spyOn(TestBed.inject(DpopKeyDatabase), 'load').and.callThrough();
    const opens = spyOn(indexedDB, 'open').and.callThrough();

    for (let i = 0; i < 5; i++) await t.verifiedProof(store);

    expect(load).toHaveBeenCalledTimes(1);
    expect(opens).toHaveBeenCalledTimes(1);
  });

  it('publicJwk has only kty, crv, x, y — no private member', async () => {
    const { publicJwk } = await t.newStore().key();
    expect(Object.keys(publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(publicJwk.kty).toBe('EC');
    expect(publicJwk.crv).toBe('P-256');
  });

  it('thumbprint is the RFC 7638 SHA-256 thumbprint of the public JWK', async () => {
    const { publicJwk, thumbprint } = await t.newStore().key();
    const { crv, kty, x, y } = publicJwk;
    // RFC 7638 §3: required members only, lexicographic order, no whitespace.
    const canonical = JSON.stringify({ crv, kty, x, y });
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
    expect(thumbprint).toBe(base64url.encode(new Uint8Array(digest)));
  });

  it("storage() is 'unknown' before the first load and 'indexeddb' after it", async () => {
    const store = t.newStore();
    expect(TestBed.inject(DpopKeyStatus).storage()).toBe('unknown');
    await store.key();
    expect(TestBed.inject(DpopKeyStatus).storage()).toBe('indexeddb');
  });

  it('surfaces a real IndexedDB failure as a DpopError that says what to do, and tries again next call', async () => {
    // A database with the same name at a newer version makes IndexedDB fail with VersionError.
    (await openDB(t.databaseName, 5)).close();
    const store = t.newStore();

    const error = await store.key().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).code).toBe('key_storage_version');
    expect((error as DpopError).message).toContain(t.databaseName);
    expect((error as DpopError).message).toContain('withKeyStorage');
    expect(TestBed.inject(DpopKeyStatus).storage()).toBe('unknown');

    // The failure is not kept: once the cause is gone, the same store works.
    await deleteDB(t.databaseName);
    await expectAsync(store.key()).toBeResolved();
  });

  for (const alg of ['EdDSA', 'PS256', 'RS256'] as const) {
    it(`keeps a negotiated ${alg} key across a reload and signs proofs with alg ${alg}`, async () => {
      const store = t.newStore();
      TestBed.inject(DpopAlgorithms).accept('https://as.test/', [alg], 'the server');
      const { thumbprint, algorithm } = await store.key();
      expect(algorithm).toBe(alg);

      const reloaded = t.newStore(); // no server heard from yet: the stored key is kept as it is
      expect((await reloaded.key()).thumbprint).toBe(thumbprint);
      const { protectedHeader } = await t.verifiedProof(reloaded);
      expect(protectedHeader.alg).toBe(alg);
      expect(Object.keys(protectedHeader.jwk!).sort()).toEqual(
        alg === 'EdDSA' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n'],
      );
    });
  }

  const mapped: [string, string, string][] = [
    ['QuotaExceededError', 'key_storage_quota', 'quota'],
    ['DataCloneError', 'key_storage_clone', 'DataCloneError'],
    ['BlockedError', 'key_storage_blocked', 'Close the other tabs'],
    ['VersionError', 'key_storage_version', 'newer version'],
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
