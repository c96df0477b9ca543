import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { DpopAllowList, DpopResource } from './dpop-allow-list';
import { DPOP_ALLOW_LIST, DPOP_KEY_STORAGE } from './dpop-config';
import { DpopError } from './dpop-error';
import { DpopTokenSource } from './dpop-token-source';
import { provideDpop, withAllowList, withKeyStorage, withTokenSource } from './provide-dpop';

@Injectable()
class StaticTokenSource extends DpopTokenSource {
  async getAccessToken(_resource: DpopResource): Promise<string | null> {
    return 'token';
  }
}

describe('provideDpop and its features', () => {
  it('returns typed features with their kind', () => {
    expect(withAllowList([]).kind).toBe('allow-list');
    expect(withTokenSource(StaticTokenSource).kind).toBe('token-source');
    expect(withKeyStorage({}).kind).toBe('key-storage');
  });

  it('configures allow list, token source and key storage', async () => {
    const api = { url: 'http://localhost:3001/api/', resource: 'urn:api' };
    TestBed.configureTestingModule({
      providers: [
        provideDpop(
          withAllowList([api]),
          withTokenSource(StaticTokenSource),
          withKeyStorage({ databaseName: 'custom', memoryFallback: true }),
        ),
      ],
    });
    expect(TestBed.inject(DpopAllowList).match('http://localhost:3001/api/x')).toEqual(api);
    expect(TestBed.inject(DpopTokenSource)).toBeInstanceOf(StaticTokenSource);
    expect(await TestBed.inject(DpopTokenSource).getAccessToken(api)).toBe('token');
    expect(TestBed.inject(DPOP_KEY_STORAGE)).toEqual({
      databaseName: 'custom',
      memoryFallback: true,
    });
  });

  it('has defaults: empty allow list, database "dpop-keys" without memory fallback, no token source', () => {
    TestBed.configureTestingModule({ providers: [provideDpop(withKeyStorage({}))] });
    expect(TestBed.inject(DPOP_ALLOW_LIST)).toEqual([]);
    expect(TestBed.inject(DPOP_KEY_STORAGE)).toEqual({
      databaseName: 'dpop-keys',
      memoryFallback: false,
    });
    expect(TestBed.inject(DpopTokenSource, null)).toBeNull();
  });

  it('refuses the same feature twice instead of letting one silently win', () => {
    expect(() => provideDpop(withAllowList([]), withAllowList([]))).toThrowMatching(
      (e) =>
        e instanceof DpopError && e.code === 'duplicate_feature' && /allow-list/.test(e.message),
    );
  });

  it('rejects an invalid allow-list entry with a DpopError at configuration time', () => {
    expect(() => withAllowList([{ url: '/api/' }])).toThrowMatching(
      (e) => e instanceof DpopError && e.code === 'invalid_allow_list',
    );
  });
});
