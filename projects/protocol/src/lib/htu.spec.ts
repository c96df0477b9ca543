/** `htu` (RFC 9449 §4.2): no query, no fragment, the normalisation a server compares with (§4.3). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { htuOf } from './htu.ts';

describe('htuOf', () => {
  const base = 'https://app.example.com/spa/page?x=1#top';
  const cases: [description: string, url: string, expected: string][] = [
    [
      'keeps an absolute URL',
      'https://api.example.com/api/users',
      'https://api.example.com/api/users',
    ],
    [
      'strips the query',
      'https://api.example.com/api/users?page=2&q=a',
      'https://api.example.com/api/users',
    ],
    [
      'strips the fragment',
      'https://api.example.com/api/users#frag',
      'https://api.example.com/api/users',
    ],
    [
      'strips query and fragment together',
      'https://api.example.com/a?b=c#d',
      'https://api.example.com/a',
    ],
    [
      'resolves a root-relative URL against the base',
      '/api/users?x=1',
      'https://app.example.com/api/users',
    ],
    ['resolves a path-relative URL against the base', 'users', 'https://app.example.com/spa/users'],
    [
      'drops the default https port',
      'https://api.example.com:443/api',
      'https://api.example.com/api',
    ],
    ['drops the default http port', 'http://api.example.com:80/api', 'http://api.example.com/api'],
    [
      'keeps a non-default port',
      'http://localhost:3001/api/users',
      'http://localhost:3001/api/users',
    ],
    [
      'lower-cases the host',
      'https://API.Example.COM/Api/Users',
      'https://api.example.com/Api/Users',
    ],
    ['lower-cases the scheme', 'HTTPS://api.example.com/x', 'https://api.example.com/x'],
    [
      'keeps a trailing slash in the path',
      'https://api.example.com/api/',
      'https://api.example.com/api/',
    ],
    ['gives an empty path as "/"', 'https://api.example.com', 'https://api.example.com/'],
    ['drops user info', 'https://user:pw@api.example.com/x', 'https://api.example.com/x'],
    ['resolves dot segments', 'https://api.example.com/a/../b/./c', 'https://api.example.com/b/c'],
    [
      'keeps percent-encoding of the path',
      'https://api.example.com/a%20b',
      'https://api.example.com/a%20b',
    ],
  ];

  for (const [description, url, expected] of cases) {
    test(`${description}: ${url}`, () => {
      assert.equal(htuOf(url, base), expected);
    });
  }
});
