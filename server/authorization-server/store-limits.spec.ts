/**
 * Floods against the real server with small limits (store-entries.ts): none may sign anyone out.
 * - Issue 12: every anonymous `GET /auth` keeps a sign-in page (an Interaction) for 15 minutes;
 *   the pages have their own pool, one address its own share of it.
 * - Issue 18: every `GET /auth` with a session cookie makes an authorization code, and every
 *   `GET /session/end` keeps a visitor's session; codes have a pool shared out by account,
 *   visitors' sessions one shared out by address.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CookieJar } from '../testing/cookie-jar.ts';
import { authorizationRequest, followRedirects, signIn, type Session } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';

describe('an anonymous flood of sign-in pages', () => {
  // 20 sessions, grants and tokens at most; 100 sign-in pages, 10 per address.
  const as = authorizationServerForSuite({ asStoreMaxEntries: 20, asStoreMaxShortLived: 100 });

  it("is refused with 429 and Retry-After once the address's share is used, and the victim's refresh token and session keep working", async () => {
    const victim = await signIn({ issuer: as.issuer });
    const anonymous = (await authorizationRequest({ issuer: as.issuer })).url;

    const answers: Response[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await fetch(anonymous, { redirect: 'manual' });
      await response.body?.cancel();
      answers.push(response);
    }
    const statuses = answers.map((response) => response.status);
    assert.ok(
      statuses.slice(0, 9).every((status) => status === 303),
      statuses.join(' '),
    );
    assert.ok(
      statuses.slice(10).every((status) => status === 429),
      statuses.join(' '),
    );

    const refused = await fetch(anonymous, { headers: { Accept: 'text/html' } });
    assert.equal(refused.status, 429);
    assert.match(
      refused.headers.get('retry-after') ?? '',
      /^9[01]\d$/,
      'when the oldest page expires',
    );
    assert.match(refused.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(
      await refused.text(),
      /Your address has used its share of sign-in pages \(10 at a time\): wait 1[56] minutes, then try again\./,
    );

    const refreshed = await victim.refresh();
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const silent = await authorizationRequest({
      issuer: as.issuer,
      dpop: victim.dpop,
      prompt: 'none',
    });
    const { url } = await followRedirects(victim.jar, silent.url, silent.redirectUri);
    assert.match(new URL(url).searchParams.get('code') ?? '', /^[\w-]{20,}$/, url);
  });
});

/** What `count` requests to `url` in the browser of `jar` were answered: status → how many. */
async function flood(url: string, count: number, jar?: CookieJar) {
  const statuses = new Map<number, number>();
  let refused: Response | undefined;
  for (let i = 0; i < count; i++) {
    const response = jar ? await jar.fetch(url) : await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status === 429) refused ??= response;
  }
  return { statuses: Object.fromEntries(statuses), refused };
}

/** Alice's refresh works, and her browser's session gives a code without a page (prompt=none). */
async function assertSignedIn(issuer: string, alice: Session) {
  const refreshed = await alice.refresh();
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  const silent = await authorizationRequest({ issuer, dpop: alice.dpop, prompt: 'none' });
  const { url } = await followRedirects(alice.jar, silent.url, silent.redirectUri);
  assert.match(new URL(url).searchParams.get('code') ?? '', /^[\w-]{20,}$/, url);
}

describe("a signed-in user's flood of GET /auth (issue 18: each one makes an authorization code)", () => {
  describe('with AS_STORE_MAX_ENTRIES=200', () => {
    const as = authorizationServerForSuite({ asStoreMaxEntries: 200 });

    it("300 requests by bob, each answered with a code, leave alice signed in: codes have their own pool and never push out anyone's session, grant or refresh token", async () => {
      const alice = await signIn({ issuer: as.issuer });
      const bob = await signIn({ issuer: as.issuer, username: 'bob' });
      const { url } = await authorizationRequest({ issuer: as.issuer, dpop: bob.dpop });
      const { statuses } = await flood(url, 300, bob.jar);
      assert.deepEqual(statuses, { 303: 300 });
      await assertSignedIn(as.issuer, alice);
    });
  });

  describe('with a small pool of codes (AS_STORE_MAX_SHORT_LIVED=200: 20 per account)', () => {
    const as = authorizationServerForSuite({ asStoreMaxEntries: 200, asStoreMaxShortLived: 200 });

    it("bob gets 429 with Retry-After once his account's share is used; alice still gets codes and stays signed in", async () => {
      const alice = await signIn({ issuer: as.issuer });
      const bob = await signIn({ issuer: as.issuer, username: 'bob' });
      const { url } = await authorizationRequest({ issuer: as.issuer, dpop: bob.dpop });
      const { statuses, refused } = await flood(url, 300, bob.jar);
      assert.deepEqual(statuses, { 303: 19, 429: 281 }, 'his sign-in used one of his 20');
      assert.match(
        refused?.headers.get('retry-after') ?? '',
        /^[67]\d$/,
        'when his oldest code expires',
      );
      const page = await bob.jar.fetch(url, { headers: { Accept: 'text/html' } });
      assert.match(
        await page.text(),
        /This account has used its share of authorization codes \(20 at a time\): wait \d+ seconds, then try again\./,
      );
      await assertSignedIn(as.issuer, alice);
    });
  });
});

describe("an anonymous flood of GET /session/end (each one keeps a visitor's session)", () => {
  const as = authorizationServerForSuite({ asStoreMaxEntries: 20, asStoreMaxShortLived: 100 });

  it("is refused with 429 once the address's share is used, and alice stays signed in", async () => {
    const alice = await signIn({ issuer: as.issuer });
    const { statuses, refused } = await flood(`${as.issuer}/session/end`, 30);
    assert.deepEqual(statuses, { 200: 10, 429: 20 });
    assert.ok(Number(refused?.headers.get('retry-after')) > 0);
    await assertSignedIn(as.issuer, alice);
  });
});
