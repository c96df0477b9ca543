import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectedHtu, normalizeHttpUri, requestPath } from './http-uri.ts';
import { formatDpopChallenge, toQuotableText } from './www-authenticate.ts';

describe('WWW-Authenticate: DPoP challenge', () => {
  test('without an error it is only the scheme and algs (RFC 6750 §3.1)', () => {
    assert.equal(formatDpopChallenge({}), 'DPoP algs="ES256 ES384 PS256 RS256 EdDSA"');
  });

  test('with an error: error, error_description, scope, algs in that order', () => {
    assert.equal(
      formatDpopChallenge({
        error: 'insufficient_scope',
        errorDescription: 'needs users:read',
        scope: 'users:read',
        algs: ['ES256'],
      }),
      'DPoP error="insufficient_scope", error_description="needs users:read", scope="users:read", algs="ES256"',
    );
  });

  test('request data cannot break out of the quoted string or the header', () => {
    const hostile = 'x", error="none\r\nSet-Cookie: a=b\\';
    const header = formatDpopChallenge({ error: 'invalid_dpop_proof', errorDescription: hostile });
    assert.equal(header.match(/"/g)?.length, 6, 'only the quotes around the three values');
    assert.doesNotMatch(header, /[\r\n\\]/);
    assert.match(toQuotableText('é§±…'), /^\?section \+\/-\.\.\.$/);
  });

  test('very long descriptions are clipped', () => {
    assert.ok(toQuotableText('a'.repeat(5000)).length <= 400);
  });
});

describe('URI normalisation (RFC 3986 §6.2.2)', () => {
  test('scheme and host lower case, default port removed, dot segments and percent-encoding normalised', () => {
    assert.equal(
      normalizeHttpUri('HTTP://API.Example.TEST:80/a/./b/../c/%7euser%2f'),
      'http://api.example.test/a/c/~user%2F',
    );
    assert.equal(normalizeHttpUri('https://x.test:443'), 'https://x.test/');
    assert.equal(normalizeHttpUri('https://x.test:8443/p'), 'https://x.test:8443/p');
  });
  test('relative, non-http and user-info URIs are not target URIs', () => {
    assert.equal(normalizeHttpUri('/api/users'), undefined);
    assert.equal(normalizeHttpUri('javascript:alert(1)'), undefined);
    assert.equal(normalizeHttpUri('http://u:p@x.test/'), undefined);
  });
  test('the request path ignores query and fragment, and the host of an absolute-form target', () => {
    assert.equal(requestPath('/api/users?x=1#y'), '/api/users');
    assert.equal(requestPath('http://evil.example/api/users'), '/api/users');
    assert.equal(requestPath('//evil.example/api/users'), '//evil.example/api/users');
    assert.equal(requestPath(undefined), '/');
  });
  test('the expected htu is the configured public URL plus the path', () => {
    assert.equal(expectedHtu('http://API.test:80/', '/api/users'), 'http://api.test/api/users');
    assert.equal(
      expectedHtu('https://proxy.test/dpop', '/api/users'),
      'https://proxy.test/dpop/api/users',
    );
  });
});
