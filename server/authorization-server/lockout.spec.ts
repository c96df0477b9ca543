/**
 * A guesser cannot lock alice out (login-throttle.ts, device-cookies.ts), on the real server with
 * a clock the test moves: wrong passwords for alice from another address lock that address out of
 * alice, hold her own browser back not at all and a new browser a few seconds at most; her
 * browser's device cookie vouches for that name only, and a forged one counts for nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';
import { fakeClock } from './testing/fake-clock.ts';
import { Browser, type LoginAnswer } from './testing/browser.ts';

describe('wrong passwords for alice from another address', () => {
  const clock = fakeClock(Date.now());
  const as = authorizationServerForSuite({}, { loginThrottle: { now: clock.now } });

  /** Ten wrong passwords for `username` by `guesser`, each after waiting out the last Retry-After. */
  async function tenPatientGuesses(guesser: Browser, username: string): Promise<LoginAnswer[]> {
    const action = await guesser.loginPage(as.issuer);
    const answers: LoginAnswer[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await guesser.submit(action, username, 'not-the-password');
      answers.push(answer);
      clock.advance(answer.retryAfter ?? 0);
    }
    return answers;
  }

  it("do not keep alice out: her browser signs in at once, a new browser waits seconds at most, and the guesser's address is locked out of alice for 5 minutes", async () => {
    const alicesBrowser = new Browser('127.0.0.1');
    assert.equal((await alicesBrowser.signIn(as.issuer, 'alice', 'alice-password')).status, 303);

    const guesser = new Browser('127.0.0.2');
    const answers = await tenPatientGuesses(guesser, 'alice');
    assert.deepEqual(
      answers.map(({ status, retryAfter }) => [status, retryAfter]),
      [
        [401, null],
        [401, null],
        [401, null],
        [401, 1],
        [401, 2],
        [401, 4],
        [401, 8],
        [401, 16],
        [401, 32],
        [401, 300],
      ],
    );
    clock.advance(-300); // the guesser's lockout has just begun

    assert.equal((await alicesBrowser.signIn(as.issuer, 'alice', 'alice-password')).status, 303);
    const newBrowser = await new Browser('127.0.0.3').signIn(as.issuer, 'alice', 'alice-password');
    assert.equal(
      newBrowser.status,
      303,
      'ten failures elsewhere: no wait for the whole account yet',
    );

    const locked = await guesser.signIn(as.issuer, 'alice', 'alice-password');
    assert.deepEqual(locked, {
      status: 429,
      retryAfter: 300,
      alert:
        'Too many failed sign-ins with this username or from your network. Wait 5 minutes, then try again.',
    });
    assert.equal((await guesser.signIn(as.issuer, 'bob', 'bob-password')).status, 303);
  });

  it('from many addresses, make everyone without a device cookie wait a few seconds at most, and never lock the account', async () => {
    clock.advance(16 * 60); // what came before is forgotten
    const alicesBrowser = new Browser('127.0.0.1');
    assert.equal((await alicesBrowser.signIn(as.issuer, 'alice', 'alice-password')).status, 303);
    const waits: (number | null)[] = [];
    for (let i = 0; i < 30; i++) {
      const guess = await new Browser(`127.0.1.${i + 1}`).signIn(as.issuer, 'alice', 'wrong');
      waits.push(guess.retryAfter);
      clock.advance(guess.retryAfter ?? 0);
    }
    assert.deepEqual(waits, [...Array<null>(10).fill(null), 1, 2, 4, ...Array<number>(17).fill(8)]);

    clock.advance(-8); // the last guess's wait has just begun
    const newBrowser = await new Browser('127.0.0.3').signIn(as.issuer, 'alice', 'alice-password');
    assert.equal(newBrowser.status, 429);
    assert.equal(newBrowser.retryAfter, 8);
    assert.equal((await alicesBrowser.signIn(as.issuer, 'alice', 'alice-password')).status, 303);
    clock.advance(8);
    assert.equal(
      (await new Browser('127.0.0.3').signIn(as.issuer, 'alice', 'alice-password')).status,
      303,
    );
  });

  it("alice's device cookie vouches for the name alice only, and a forged one counts for nothing", async () => {
    clock.advance(16 * 60);
    const shared = new Browser('127.0.0.4');
    assert.equal((await shared.signIn(as.issuer, 'alice', 'alice-password')).status, 303);
    const device = shared.jar.header(`${as.issuer}/interaction/x/login`);
    assert.match(device, /dpop-lab-device\.[\w-]{16}=ey/);

    // Ten wrong passwords for bob from the same browser: alice's cookie does not count for bob.
    const bobAnswers = await tenPatientGuesses(shared, 'bob');
    assert.equal(bobAnswers.at(-1)?.retryAfter, 300);
    clock.advance(-300);
    assert.equal((await shared.signIn(as.issuer, 'bob', 'bob-password')).status, 429);

    // A cookie of the right name but a forged value: the browser is a stranger again.
    const forger = new Browser('127.0.0.4');
    const name = /(dpop-lab-device\.[\w-]{16})=/.exec(device)?.[1] ?? '';
    forger.jar.store(
      new Response(null, {
        headers: { 'Set-Cookie': `${name}=eyJhbGciOiJIUzI1NiJ9.e30.forged; Path=/interaction` },
      }),
    );
    const guesses = await tenPatientGuesses(forger, 'alice');
    assert.equal(guesses.at(-1)?.retryAfter, 300, 'counted by its address: locked out of alice');
    clock.advance(-300);
    assert.equal((await forger.signIn(as.issuer, 'alice', 'alice-password')).status, 429);
    assert.equal(
      (await shared.signIn(as.issuer, 'alice', 'alice-password')).status,
      303,
      'the real cookie still works',
    );
  });

  it("forty wrong passwords sent at once from the guesser's address meet 429 after the third", async () => {
    clock.advance(16 * 60);
    const guesser = new Browser('127.0.0.5');
    const action = await guesser.loginPage(as.issuer);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => guesser.submit(action, 'alice', 'wrong')),
    );
    const statuses = answers.map(({ status }) => status).sort();
    assert.deepEqual(statuses, [...Array<number>(4).fill(401), ...Array<number>(36).fill(429)]);
  });
});
