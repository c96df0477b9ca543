/**
 * The loopback redirect of `--sign-in` on its own: only the answer carrying this sign-in's state
 * counts, an error comes back as SignInFailed with the server's words, the page never runs
 * script; and without a display no browser is opened.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SignInFailed, startLoopbackRedirect } from './loopback-redirect.ts';
import { openBrowser } from './open-browser.ts';

const WAIT_MS = 30_000;

describe('the loopback redirect', () => {
  it("ignores another sign-in's answer, then takes this one's code and iss", async () => {
    const loopback = await startLoopbackRedirect('state-1');
    try {
      assert.match(loopback.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const stale = await fetch(`${loopback.redirectUri}?code=c-0&state=state-0`);
      assert.equal(stale.status, 400);
      assert.match(await stale.text(), /Not this sign-in/);
      assert.equal((await fetch(loopback.redirectUri.replace('/callback', '/'))).status, 404);

      const waiting = loopback.wait(WAIT_MS);
      const page = await fetch(
        `${loopback.redirectUri}?code=c-1&state=state-1&iss=http%3A%2F%2Fas`,
      );
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.doesNotMatch(await page.text(), /<script|c-1/, 'no script, nothing echoed');
      assert.deepEqual(await waiting, { code: 'c-1', iss: 'http://as' });
    } finally {
      await loopback.close();
    }
  });

  it("ends with the authorization server's error, in words", async () => {
    const loopback = await startLoopbackRedirect('state-2');
    try {
      const query = 'error=access_denied&error_description=the+user+cancelled&state=state-2';
      const page = await fetch(`${loopback.redirectUri}?${query}`);
      assert.match(await page.text(), /Sign-in not completed/);
      await assert.rejects(loopback.wait(WAIT_MS), (error: unknown) => {
        assert.ok(error instanceof SignInFailed);
        assert.match(
          error.message,
          /sent the browser back with access_denied \(the user cancelled\)/,
        );
        return true;
      });
    } finally {
      await loopback.close();
    }
  });

  it(
    'opens no browser where there is no display (Linux)',
    { skip: process.platform !== 'linux' },
    async () => {
      assert.equal(await openBrowser('http://127.0.0.1:1/', {}), false);
    },
  );
});
