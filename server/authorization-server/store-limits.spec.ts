/**
 * Issue 12's flood: every anonymous `GET /auth` makes the server keep a sign-in page (an
 * Interaction) for 15 minutes. With small limits, a flood larger than the whole store must not
 * sign anyone out: the pages have their own pool, one address its own share of it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { authorizationRequest, followRedirects, signIn } from '../testing/sign-in.ts';
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
