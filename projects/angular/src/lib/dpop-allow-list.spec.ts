import { TestBed } from '@angular/core/testing';

import { DpopAllowList } from './dpop-allow-list';
import { DpopError } from './dpop-error';
import { provideDpop, withAllowList } from './provide-dpop';

describe('DpopAllowList', () => {
  const api = { url: 'http://localhost:3001/api/', resource: 'http://localhost:3001' };
  let allowList: DpopAllowList;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideDpop(withAllowList([api]))] });
    allowList = TestBed.inject(DpopAllowList);
  });

  const matches: [string, boolean][] = [
    ['http://localhost:3001/api/users', true],
    ['http://localhost:3001/api/users?page=2#x', true],
    ['http://localhost:3001/api/', true],
    ['http://LOCALHOST:3001/api/users', true],
    ['http://localhost:3001/api', false],
    ['http://localhost:3001/apix', false],
    ['http://localhost:3001/apix/users', false],
    ['http://localhost:3001/other/api/', false],
    ['http://localhost:3001/api/../admin', false],
    ['http://localhost:3001.evil.com/api/', false],
    ['http://evil.com/?u=http://localhost:3001/api/', false],
    ['http://evil.com/http://localhost:3001/api/', false],
    ['http://localhost:3001@evil.com/api/', false],
    ['https://localhost:3001/api/users', false],
    ['http://localhost:3002/api/users', false],
    ['http://localhost/api/users', false],
    ['not a url at all: http://[', false],
  ];
  for (const [url, expected] of matches) {
    it(`${expected ? 'matches' : 'does not match'} ${url} (exact origin, path prefix at a segment boundary)`, () => {
      expect(allowList.match(url)).toEqual(expected ? api : null);
    });
  }

  it('treats a prefix without trailing slash as a whole segment: /api matches /api and /api/x, not /apix', () => {
    const bare = { url: 'http://localhost:4000/api' };
    allowList.add(bare);
    expect(allowList.match('http://localhost:4000/api')).toEqual(bare);
    expect(allowList.match('http://localhost:4000/api/x')).toEqual(bare);
    expect(allowList.match('http://localhost:4000/apix')).toBeNull();
  });

  it('adds a resource at runtime (e.g. the userinfo endpoint after discovery)', () => {
    expect(allowList.match('http://localhost:3000/me')).toBeNull();
    const userinfo = { url: 'http://localhost:3000/me' };
    allowList.add(userinfo);
    expect(allowList.match('http://localhost:3000/me')).toEqual(userinfo);
    expect(allowList.match('http://localhost:3000/token')).toBeNull();
    expect(allowList.match('http://localhost:3001/api/users')).toEqual(api);
  });

  it('replaces an entry added again with the same url', () => {
    const again = { url: api.url, resource: 'urn:new' };
    allowList.add(again);
    expect(allowList.match('http://localhost:3001/api/users')).toEqual(again);
  });

  it('picks the most specific (longest) prefix', () => {
    const admin = { url: 'http://localhost:3001/api/admin/', resource: 'urn:admin' };
    allowList.add(admin);
    expect(allowList.match('http://localhost:3001/api/admin/x')).toEqual(admin);
    expect(allowList.match('http://localhost:3001/api/users')).toEqual(api);
  });

  it('resolves a relative request URL against document.baseURI', () => {
    const origin = new URL(document.baseURI).origin;
    const local = { url: `${origin}/local-api/` };
    allowList.add(local);
    expect(allowList.match('/local-api/things')).toEqual(local);
  });

  const invalid: [string, string][] = [
    ['/api/', 'not an absolute URL'],
    ['localhost:3001/api/', 'must use http: or https:'],
    ['ftp://localhost/api/', 'must use http: or https:'],
    ['http://localhost:3001/api/?x=1', 'remove the query'],
    ['http://localhost:3001/api/#x', 'remove the query, fragment'],
    ['http://u:p@localhost:3001/api/', 'credentials'],
  ];
  for (const [url, message] of invalid) {
    it(`rejects the entry ${url} with a DpopError that says why`, () => {
      let error: unknown;
      try {
        allowList.add({ url });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DpopError);
      expect((error as DpopError).code).toBe('invalid_allow_list');
      expect((error as DpopError).message).toContain(message);
    });
  }
});
