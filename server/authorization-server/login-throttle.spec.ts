/**
 * The login page against password guessing (login-throttle.ts), on the real server with a clock
 * the test moves: a growing wait, then a lockout, per account name and per client address; the
 * same answers for an account that does not exist; other accounts not affected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { startAuthorization, type StartedAuthorization } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';
import { fakeClock } from './testing/fake-clock.ts';

interface Answer {
  status: number;
  alert: string | undefined;
  retryAfter: string | null;
}

describe('the login page against repeated wrong passwords', () => {
  const clock = fakeClock(Date.now());
  const as = authorizationServerForSuite({}, { loginThrottle: { now: clock.now } });

  async function attempt(
    started: StartedAuthorization,
    username: string,
    password: string,
  ): Promise<Answer> {
    const response = await started.jar.fetch(started.loginPage.action, {
      method: 'POST',
      body: new URLSearchParams({ username, password }),
    });
    const html = await response.text();
    return {
      status: response.status,
      alert: /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1],
      retryAfter: response.headers.get('retry-after'),
    };
  }

  /**
   * Ten wrong passwords for `username`. After each one that sets a wait, the right password is
   * tried at once (refused unchecked), then the clock moves on by the wait. Every answer, in order.
   */
  async function tenWrongPasswords(username: string): Promise<Answer[]> {
    const started = await startAuthorization({ issuer: as.issuer });
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) {
      const wrong = await attempt(started, username, 'not-the-password');
      answers.push(wrong);
      if (wrong.retryAfter === null) continue;
      answers.push(await attempt(started, username, `${username}-password`));
      clock.advance(Number(wrong.retryAfter) - 1);
      answers.push(await attempt(started, username, `${username}-password`));
      clock.advance(1);
    }
    return answers;
  }

  const wrong = (wait?: string): Answer => ({
    status: 401,
    alert: `Wrong username or password.${wait ? ` Wait ${wait} before you try again.` : ''}`,
    retryAfter: wait ? String(parseInt(wait) * (wait.includes('minute') ? 60 : 1)) : null,
  });
  const refused = (wait: string, seconds: number): Answer => ({
    status: 429,
    alert: `Too many failed sign-ins with this username or from your network. Wait ${wait}, then try again.`,
    retryAfter: String(seconds),
  });

  it('ten wrong passwords: three free, then a growing wait (even the right password is refused unchecked), then a 5-minute lockout; another account signs in meanwhile, and this one after the lockout', async () => {
    const answers = await tenWrongPasswords('alice');
    const expected = [wrong(), wrong(), wrong()];
    for (const seconds of [1, 2, 4, 8, 16, 32]) {
      const wait = `${seconds} second${seconds === 1 ? '' : 's'}`;
      expected.push(wrong(wait), refused(wait, seconds), refused('1 second', 1));
    }
    expected.push(wrong('5 minutes'), refused('5 minutes', 300), refused('1 second', 1));
    assert.deepEqual(answers, expected);

    const bob = await startAuthorization({ issuer: as.issuer });
    const alice = await startAuthorization({ issuer: as.issuer });
    clock.advance(-1); // alice is still locked out for a second
    assert.equal((await attempt(bob, 'bob', 'bob-password')).status, 303, 'bob is not affected');
    assert.equal((await attempt(alice, 'alice', 'alice-password')).status, 429);
    clock.advance(1);
    assert.equal((await attempt(alice, 'alice', 'alice-password')).status, 303);
  });

  it('an account name that does not exist gets exactly the same answers', async () => {
    clock.advance(16 * 60); // the address's failures above are forgotten
    const alice = await tenWrongPasswords('alice');
    clock.advance(16 * 60);
    assert.deepEqual(await tenWrongPasswords('mallory'), alice);
  });

  it('thirty wrong passwords from one address, each for another name, lock the address out: every name waits', async () => {
    clock.advance(16 * 60);
    const started = await startAuthorization({ issuer: as.issuer });
    const waits: (string | null)[] = [];
    for (let i = 0; i < 30; i++) {
      const answer = await attempt(started, `guess-${i}`, 'password');
      assert.equal(answer.status, 401);
      waits.push(answer.retryAfter);
      clock.advance(Number(answer.retryAfter ?? 0));
    }
    assert.deepEqual(waits, [
      ...Array<null>(10).fill(null),
      ...['1', '2', '4', '8', '16', '32', '60', '60', '60', '60', '60', '60', '60', '60', '60'],
      ...['60', '60', '60', '60', '300'],
    ]);
    clock.advance(-300);
    assert.deepEqual(await attempt(started, 'bob', 'bob-password'), refused('5 minutes', 300));
  });
});
