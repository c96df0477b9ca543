/**
 * The budget of new tokens per client address (./address-budget.ts) and the brief memory of
 * inactive tokens (./inactive-tokens.ts), on their own, with a fake clock.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AddressBudget } from './address-budget.ts';
import { InactiveTokens } from './inactive-tokens.ts';

test('an address gets `burst` at once, then one per refill; an IPv6 /64 is one address', () => {
  const budget = new AddressBudget({ burst: 2, refillMs: 1_000 });
  assert.equal(budget.take('2001:db8::1', 0), 0);
  assert.equal(budget.take('2001:db8:0:0:ffff::2', 0), 0, 'the same /64');
  assert.equal(budget.take('2001:db8::3', 0), 1_000, 'empty: the wait until the next one');
  assert.equal(budget.take('2001:db8:0:1::1', 0), 0, 'another /64 has its own');
  assert.equal(budget.take('::ffff:192.0.2.1', 0), 0);
  assert.equal(budget.take('192.0.2.1', 0), 0, 'IPv4-mapped is the same IPv4 address');
  assert.equal(budget.take('192.0.2.1', 0), 1_000);
  assert.equal(budget.take('2001:db8::1', 1_000), 0, 'refilled');
});

test('the budget forgets the address seen longest ago beyond maxAddresses', () => {
  const budget = new AddressBudget({ burst: 1, refillMs: 60_000, maxAddresses: 2 });
  budget.take('192.0.2.1', 0);
  budget.take('192.0.2.2', 0);
  budget.take('192.0.2.3', 0);
  assert.equal(budget.take('192.0.2.1', 0), 0, 'forgotten, so a full bucket again');
  assert.ok(budget.take('192.0.2.3', 0) > 0, 'remembered');
});

test('inactive tokens are remembered for ttlMs, at most maxEntries of them', () => {
  const inactive = new InactiveTokens(2, 10_000);
  inactive.set('a', 'not active', 0);
  assert.equal(inactive.get('a', 9_999), 'not active');
  assert.equal(inactive.get('a', 10_000), undefined);
  inactive.set('b', 'x', 0);
  inactive.set('c', 'y', 0);
  inactive.set('d', 'z', 0);
  assert.equal(inactive.size, 2);
  assert.equal(inactive.get('b', 0), undefined, 'the oldest went');
});
