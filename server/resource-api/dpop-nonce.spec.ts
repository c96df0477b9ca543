import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { createDpopNonces, readNonceSecret } from './dpop-nonce.ts';

const secret = new Uint8Array(randomBytes(32));

describe('DPoP nonces (stateless HMAC over a time step)', () => {
  test('a nonce looks like <step>.<mac> and is valid now', () => {
    const nonces = createDpopNonces({ secret });
    const nonce = nonces.issue();
    assert.match(nonce, /^\d+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(nonces.check(nonce), 'valid');
  });

  test('a nonce of the previous step is still valid, two steps back it is stale', () => {
    const clock = { time: 1_800_000_000_000 };
    const nonces = createDpopNonces({ secret, now: () => clock.time, stepSeconds: 60 });
    const nonce = nonces.issue();
    clock.time += 60_000;
    assert.equal(nonces.check(nonce), 'valid');
    clock.time += 60_000;
    assert.equal(nonces.check(nonce), 'stale');
  });

  test('acceptedUntil is the moment check() turns from valid to stale', () => {
    const clock = { time: 1_800_000_012_345 };
    const nonces = createDpopNonces({ secret, now: () => clock.time, stepSeconds: 60 });
    const nonce = nonces.issue();
    const until = nonces.acceptedUntil(nonce);
    assert.ok(
      until - clock.time > 60_000 && until - clock.time <= 120_000,
      `${until - clock.time}`,
    );
    clock.time = until - 1;
    assert.equal(nonces.check(nonce), 'valid');
    clock.time = until;
    assert.equal(nonces.check(nonce), 'stale');
  });

  test('a nonce from a future step is stale', () => {
    const later = createDpopNonces({ secret, now: () => Date.now() + 600_000 }).issue();
    assert.equal(createDpopNonces({ secret }).check(later), 'stale');
  });

  test('a tampered step or mac, another secret, or garbage is invalid', () => {
    const nonces = createDpopNonces({ secret });
    const [step, mac] = nonces.issue().split('.') as [string, string];
    assert.equal(nonces.check(`${Number(step) + 1}.${mac}`), 'invalid');
    assert.equal(
      nonces.check(`${step}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`),
      'invalid',
    );
    const spareBits = mac.slice(0, -1) + String.fromCharCode(mac.charCodeAt(42) ^ 1);
    assert.equal(
      nonces.check(`${step}.${spareBits}`),
      'invalid',
      'another spelling of the same MAC bytes',
    );
    assert.equal(
      nonces.check(createDpopNonces({ secret: new Uint8Array(randomBytes(32)) }).issue()),
      'invalid',
    );
    for (const garbage of ['', 'x', `${step}.`, `.${mac}`, `${step}.${mac}.x`, `-1.${mac}`]) {
      assert.equal(nonces.check(garbage), 'invalid', garbage);
    }
  });

  test('the secret must be 32 bytes', () => {
    assert.throws(() => createDpopNonces({ secret: new Uint8Array(16) }));
  });
});

describe('readNonceSecret (API_NONCE_SECRET)', () => {
  test('unset means undefined (a random secret is used)', () => {
    assert.equal(readNonceSecret({}), undefined);
  });
  test('32 bytes in base64url are read', () => {
    const bytes = randomBytes(32);
    assert.deepEqual(
      Buffer.from(readNonceSecret({ API_NONCE_SECRET: bytes.toString('base64url') })!),
      bytes,
    );
  });
  test('a malformed or short value is an error, not a silent fallback', () => {
    assert.throws(() => readNonceSecret({ API_NONCE_SECRET: 'short' }), /32 random bytes/);
    assert.throws(() =>
      readNonceSecret({ API_NONCE_SECRET: randomBytes(32).toString('base64') + '+/' }),
    );
  });
});
