/**
 * The login throttle's counts in memory (throttle-counts.ts, login-throttle.ts), without a server:
 * a lockout decays once it is over, a flood of made-up names and addresses cannot flush a live
 * lock out of bounded memory, and IPv6 guesses are counted by /64 and by /48.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createLoginThrottle } from './login-throttle.ts';
import { fakeClock } from './testing/fake-clock.ts';
import { createThrottleCounts } from './throttle-counts.ts';

describe('login throttle memory', () => {
  it('a lockout decays once it is over: the next failure waits a second, not another 5 minutes', () => {
    const clock = fakeClock();
    const counts = createThrottleCounts(
      { free: 3, lockoutAfter: 10, maxWait: 60 },
      { now: clock.now, maxTracked: 10 },
    );
    const waits = Array.from({ length: 10 }, () => {
      const wait = counts.fail('key');
      clock.advance(wait);
      return wait;
    });
    assert.deepEqual(waits, [0, 0, 0, 1, 2, 4, 8, 16, 32, 300]);
    assert.deepEqual([counts.fail('key'), counts.fail('key')], [1, 2]);
  });

  it('a full map forgets the least recently failed key that is not waiting, never a running lock; while every key waits, newcomers share one count', () => {
    const clock = fakeClock();
    const counts = createThrottleCounts(
      { free: 1, lockoutAfter: 3, maxWait: 60 },
      { now: clock.now, maxTracked: 3 },
    );
    for (let i = 0; i < 3; i++) counts.fail('locked'); // a 5-minute lockout
    counts.fail('quiet'); // one failure: no wait
    counts.fail('other');
    counts.fail('newcomer'); // the map is full: 'quiet' is forgotten, not 'locked'
    assert.ok(counts.blockedUntil('locked') > clock.now());
    counts.fail('other'); // now waiting a second
    counts.fail('newcomer'); // waiting too
    for (let i = 0; i < 3; i++) counts.fail(`flood-${i}`); // no room: one shared count
    assert.ok(counts.blockedUntil('locked') > clock.now(), 'the lock survived');
    assert.ok(counts.blockedUntil('flood-99') > clock.now(), 'newcomers wait together');
    clock.advance(2); // 'other' and 'newcomer' stopped waiting: room again
    counts.fail('late');
    assert.equal(counts.blockedUntil('late'), clock.now(), 'a key of its own, no wait yet');
  });

  it("10,000 failures with made-up names from 1,000 addresses flush neither alice's lockout for the guesser's address nor the guesser's own count", () => {
    const clock = fakeClock();
    const throttle = createLoginThrottle({ now: clock.now, maxTracked: 200 });
    const guesser = { username: 'alice', address: '198.51.100.1' };
    for (let i = 0; i < 10; i++) clock.advance(throttle.failed(guesser));
    clock.advance(-300);
    // The guesser's address: 20 failures so far, 10 more lock it out.
    for (let i = 0; i < 10; i++) throttle.failed({ username: 'mallory', address: '198.51.100.1' });

    for (let i = 0; i < 10_000; i++) {
      const address = `10.${Math.floor(i / 2550)}.${Math.floor(i / 10) % 255}.1`;
      throttle.failed({ username: `made-up-${i}`, address });
    }
    assert.equal(throttle.waitFor(guesser), 300, "alice's lockout for that address holds");
    assert.equal(
      throttle.waitFor({ username: 'alice', address: '192.0.2.1' }),
      0,
      'alice elsewhere: free',
    );

    clock.advance(60); // the guesser's wait is over
    let failures = 0;
    for (let wait = 0; wait < 300 && failures < 30; failures++) {
      wait = throttle.failed({ username: `another-${failures}`, address: '198.51.100.1' });
      clock.advance(wait);
    }
    assert.equal(
      failures,
      10,
      "the guesser's count was kept: its address is locked at its 30th failure",
    );
  });

  it('IPv6: every address of one /64 counts as one; a /48 is locked once its /64s fail 90 times between them', () => {
    const clock = fakeClock();
    const throttle = createLoginThrottle({ now: clock.now });
    const from = (address: string, username = 'alice') => ({ username, address });
    for (let i = 0; i < 10; i++) clock.advance(throttle.failed(from(`2001:db8:1:2::${i + 1}`)));
    clock.advance(-300);
    assert.equal(throttle.waitFor(from('2001:db8:1:2:ffff::9')), 300, 'the same /64');
    assert.equal(throttle.waitFor(from('2001:db8:1:3::1')), 0, 'another /64');

    // 90 failures from 90 /64s of one /48, each for its own name: the /48 is locked out.
    clock.advance(16 * 60);
    let last = 0;
    for (let i = 0; i < 90; i++) {
      last = throttle.failed(from(`2001:db8:2:${(i + 1).toString(16)}::1`, `name-${i}`));
      clock.advance(last);
    }
    assert.equal(last, 300);
    clock.advance(-300);
    assert.equal(throttle.waitFor(from('2001:db8:2:ffff::1', 'bob')), 300, 'any /64 of that /48');
    assert.equal(throttle.waitFor(from('2001:db8:3::1', 'bob')), 0, 'another /48');
  });
});
