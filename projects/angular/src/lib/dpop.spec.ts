import { HttpRequest } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { generateKeyPair, SignJWT } from 'jose';

import { keyStoreTestbed } from '../testing/key-store-testbed';
import { Dpop } from './dpop';
import { DpopError } from './dpop-error';
import { DpopInternals } from './dpop-internals';
import { DpopKeyStore } from './runtime/dpop-key-store';
import { DpopTokenEndpoints } from './token-endpoints';

const AS = { token_endpoint: 'https://as.example.test/token' };

describe('Dpop (the façade sign-in code uses)', () => {
  const t = keyStoreTestbed();
  let dpop: Dpop;

  beforeEach(() => {
    t.newStore();
    dpop = TestBed.inject(Dpop);
  });

  async function accessTokenBoundTo(jkt: string | undefined): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT(jkt ? { cnf: { jkt } } : {})
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .sign(privateKey);
  }

  it('prepare() makes a fresh key for every sign-in and returns its thumbprint for dpop_jkt', async () => {
    const first = await dpop.prepare(AS);
    const second = await dpop.prepare(AS);
    expect(first).not.toBe(second);
    expect(second).toBe((await TestBed.inject(DpopInternals).key()).thumbprint);
    expect(await t.storedRecords()).toBe(1);
  });

  it('prepare() registers the authorization server: its token and revocation endpoints get proofs', async () => {
    await dpop.prepare({ ...AS, revocation_endpoint: 'https://as.example.test/revoke' });
    const endpoints = TestBed.inject(DpopTokenEndpoints);
    const post = (url: string) => new HttpRequest('POST', url, null);
    expect(endpoints.match(post('https://as.example.test/token'))).toBe('token');
    expect(endpoints.match(post('https://as.example.test/revoke'))).toBe('proof-only');
    expect(endpoints.match(post('https://as.example.test/other'))).toBeNull();
  });

  it('prepare() negotiates the algorithm with dpop_signing_alg_values_supported (RFC 9449 §5.1)', async () => {
    await dpop.prepare({ ...AS, dpop_signing_alg_values_supported: ['PS256'] });
    expect((await TestBed.inject(DpopInternals).key()).algorithm).toBe('PS256');
    await expectAsync(
      dpop.prepare({ ...AS, dpop_signing_alg_values_supported: ['ES512'] }),
    ).toBeRejectedWith(jasmine.objectContaining({ code: 'no_common_algorithm' }));
  });

  it('prepare() gives no dpop_jkt when the key lives in memory only (it cannot survive the redirect)', async () => {
    spyOn(indexedDB, 'open').and.throwError(new DOMException('denied', 'SecurityError'));
    t.newStore({ memoryFallback: true });
    dpop = TestBed.inject(Dpop);
    expect(await dpop.prepare(AS)).toBeUndefined();
    expect(dpop.storage()).toBe('memory');
    expect(dpop.storageProblem()?.code).toBe('key_storage_unavailable');
  });

  it('verifyIssued() takes DPoP tokens bound to this key and returns the thumbprint', async () => {
    const jkt = (await dpop.prepare(AS))!;
    const response = { access_token: await accessTokenBoundTo(jkt), token_type: 'dpop' };
    expect(await dpop.verifyIssued(response)).toBe(jkt);
    expect(await dpop.verifyIssued({ access_token: 'opaque', token_type: 'DPoP' })).toBe(jkt);
  });

  it('verifyIssued() refuses Bearer tokens, tokens bound to another key and unbound JWTs', async () => {
    await dpop.prepare(AS);
    const refusal = (response: { access_token: string; token_type: string }) =>
      dpop.verifyIssued(response).then(
        () => null,
        (e: unknown) => (e instanceof DpopError ? e.code : e),
      );
    expect(await refusal({ access_token: 'opaque', token_type: 'Bearer' })).toBe(
      'bearer_token_issued',
    );
    expect(
      await refusal({ access_token: await accessTokenBoundTo('another-key'), token_type: 'DPoP' }),
    ).toBe('token_not_bound');
    expect(
      await refusal({ access_token: await accessTokenBoundTo(undefined), token_type: 'DPoP' }),
    ).toBe('token_not_bound');
  });

  it('restore() is true for the key that is stored, false once another tab replaced or deleted it', async () => {
    const jkt = (await dpop.prepare(AS))!;
    t.newStore(); // a reload
    dpop = TestBed.inject(Dpop);
    expect(await dpop.restore(jkt)).toBeTrue();

    const otherTab = TestBed.runInInjectionContext(() => new DpopKeyStore());
    await otherTab.replace();
    expect(await dpop.restore(jkt)).toBeFalse();
    await otherTab.delete();
    expect(await dpop.restore(jkt)).toBeFalse();
  });

  it('restore() without a thumbprint checks the storage and keeps no key (signed-out start)', async () => {
    expect(await dpop.restore()).toBeFalse();
    expect(dpop.storage()).toBe('indexeddb');
    expect(await t.storedRecords()).toBe(0);
  });

  it('end() deletes the key: the next sign-in gets a new one', async () => {
    const jkt = (await dpop.prepare(AS))!;
    await dpop.end();
    expect(await t.storedRecords()).toBe(0);
    expect(await dpop.restore(jkt)).toBeFalse();
  });
});
