import { Injectable } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { DPOP_ALLOW_LIST, DPOP_KEY_STORAGE } from './dpop-config';
import { DpopAllowList } from './dpop-allow-list';
import { DpopError } from './dpop-error';
import { DpopResource } from './dpop-resource';
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
          withKeyStorage({ databaseName: 'custom' }),
        ),
      ],
    });
    expect(TestBed.inject(DpopAllowList).match('http://localhost:3001/api/x')).toEqual(api);
    expect(TestBed.inject(DpopTokenSource)).toBeInstanceOf(StaticTokenSource);
    expect(await TestBed.inject(DpopTokenSource).getAccessToken(api)).toBe('token');
    expect(TestBed.inject(DPOP_KEY_STORAGE)).toEqual({ databaseName: 'custom' });
  });

  it('has defaults: empty allow list, database "dpop-lab", no token source', () => {
    TestBed.configureTestingModule({ providers: [provideDpop()] });
    expect(TestBed.inject(DPOP_ALLOW_LIST)).toEqual([]);
    expect(TestBed.inject(DPOP_KEY_STORAGE)).toEqual({ databaseName: 'dpop-lab' });
    expect(TestBed.inject(DpopTokenSource, null)).toBeNull();
    expect(withKeyStorage({}).providers).toEqual([
      { provide: DPOP_KEY_STORAGE, useValue: { databaseName: 'dpop-lab' } },
    ]);
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
