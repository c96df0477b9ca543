/** `htu` (RFC 9449 §4.2): no query, no fragment, the normalisation a server compares with (§4.3). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { htuOf } from './htu.ts';

describe('htuOf', () => {
  const base = 'https://app.example.com/spa/page?x=1#top';
  // [what, request URL, htu]
  const cases: [string, string, string][] = [
    ['keeps an absolute URL', 'https://a.test/api/users', 'https://a.test/api/users'],
    ['strips the query', 'https://a.test/api/users?page=2&q=a', 'https://a.test/api/users'],
    ['strips the fragment', 'https://a.test/api/users#frag', 'https://a.test/api/users'],
    ['strips query and fragment together', 'https://a.test/a?b=c#d', 'https://a.test/a'],
    ['resolves a root-relative URL', '/api/users?x=1', 'https://app.example.com/api/users'],
    ['resolves a path-relative URL', 'users', 'https://app.example.com/spa/users'],
    ['drops the default https port', 'https://a.test:443/api', 'https://a.test/api'],
    ['drops the default http port', 'http://a.test:80/api', 'http://a.test/api'],
    ['keeps a non-default port', 'http://localhost:3001/api', 'http://localhost:3001/api'],
    ['lower-cases the host', 'https://A.Test/Api/Users', 'https://a.test/Api/Users'],
    ['lower-cases the scheme', 'HTTPS://a.test/x', 'https://a.test/x'],
    ['keeps a trailing slash in the path', 'https://a.test/api/', 'https://a.test/api/'],
    ['gives an empty path as "/"', 'https://a.test', 'https://a.test/'],
    ['drops user info', 'https://user:pw@a.test/x', 'https://a.test/x'],
    ['resolves dot segments', 'https://a.test/a/../b/./c', 'https://a.test/b/c'],
    ['keeps percent-encoding of the path', 'https://a.test/a%20b', 'https://a.test/a%20b'],
  ];

  for (const [description, url, expected] of cases) {
    test(`${description}: ${url}`, () => {
      assert.equal(htuOf(url, base), expected);
    });
  }
});
