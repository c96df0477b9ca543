/** What a client remembers of servers: their nonces and clocks per origin, bounded (RFC 9449 §8, §9, §11.1). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { NonceCache } from './nonce-cache.ts';
import { ServerClocks } from './server-clocks.ts';

describe('NonceCache', () => {
  test('keeps the latest nonce per origin, whatever the path', () => {
    const nonces = new NonceCache();
    nonces.remember('https://as.example/token', 'a-1');
    nonces.remember('https://api.example/api/users', 'b-1');
    nonces.remember('https://as.example/token', 'a-2');
    assert.equal(nonces.get('https://as.example/other'), 'a-2');
    assert.equal(nonces.get('https://api.example:443/api/apps'), 'b-1');
    assert.equal(nonces.get('https://other.example/'), undefined);
  });

  test('forgets the least recently used origin past its bound', () => {
    const nonces = new NonceCache(3);
    for (const n of [1, 2, 3]) nonces.remember(`https://s${n}.example/`, `n${n}`);
    nonces.get('https://s1.example/x'); // used: s2 is now the least recent
    nonces.remember('https://s4.example/', 'n4');
    assert.equal(nonces.size, 3);
    assert.equal(nonces.get('https://s2.example/'), undefined);
    assert.equal(nonces.get('https://s1.example/'), 'n1');
  });

  test('a thousand origins never hold more than 100 by default; clear() forgets all', () => {
    const nonces = new NonceCache();
    for (let n = 0; n < 1000; n++) nonces.remember(`https://s${n}.example/`, `n${n}`);
    assert.equal(nonces.size, 100);
    assert.equal(nonces.get('https://s999.example/'), 'n999');
    nonces.clear();
    assert.equal(nonces.size, 0);
  });
});

describe('ServerClocks', () => {
  test('measures a skew past the threshold per origin, and ignores one under it', () => {
    const clocks = new ServerClocks({ thresholdSeconds: 5 });
    const now = 1_000_000_000_000;
    clocks.observe('https://api.example/a', now + 600_000, now);
    assert.equal(clocks.offset('https://api.example/b'), 600_500);
    assert.equal(clocks.iat('https://api.example/', now), Math.floor((now + 600_500) / 1000));
    clocks.observe('https://as.example/', now + 2_000, now);
    assert.equal(clocks.offset('https://as.example/'), 0);
    assert.ok(clocks.movedSince('https://api.example/', 0));
    assert.ok(!clocks.movedSince('https://api.example/', 600_000));
  });
});
