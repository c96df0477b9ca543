import { type Page, type Request } from '@playwright/test';
import { decodeJwt } from 'jose';

import { API, expect, ISSUER, nav, signIn, SPA, storedRefreshToken, test } from './fixtures';

async function signInWithBearer(page: Page): Promise<void> {
  await page.goto('/');
  // The home page offers the comparison when config.json names a bearer client.
  await expect(
    page.getByRole('heading', { name: 'Compare with plain bearer tokens' }),
  ).toBeVisible();
  await signIn(page, { via: 'Use plain bearer tokens' });
}

/** Collects the headers of every request matching `match`. */
function watch(page: Page, match: (request: Request) => boolean) {
  const seen: Promise<Record<string, string>>[] = [];
  page.on('request', (request) => {
    if (match(request)) seen.push(request.allHeaders());
  });
  return () => Promise.all(seen);
}

test('the bearer switch: same views, Authorization: Bearer and no proof, an unbound token of the bearer client', async ({
  page,
}) => {
  const tokenRequests = watch(page, (r) => r.url() === `${ISSUER}/token`);
  const authorizeRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${ISSUER}/auth?`)) authorizeRequests.push(r.url());
  });
  await signInWithBearer(page);
  await expect(page.getByRole('banner')).toContainText('(plain bearer tokens)');
  await expect(page.getByRole('note')).toContainText('plain bearer tokens');

  const authorize = new URL(authorizeRequests[0]!);
  expect(authorize.searchParams.get('client_id')).toBe('dpop-lab-bearer');
  expect(authorize.searchParams.has('dpop_jkt')).toBe(false);

  const apiRequests = watch(page, (r) => r.url() === `${API}/api/users` && r.method() === 'GET');
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await nav(page, 'Profile').click();
  await expect(page.getByText('alice@example.com')).toBeVisible();

  for (const headers of await tokenRequests()) {
    expect(headers['dpop'], 'no proof at the token endpoint').toBeUndefined();
  }
  const api = await apiRequests();
  expect(api.length).toBe(1); // no nonce handshake: there is no proof to put a nonce in
  expect(api[0]!['authorization']).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  expect(api[0]!['dpop']).toBeUndefined();
  const claims = decodeJwt(api[0]!['authorization']!.slice('Bearer '.length));
  expect(claims['client_id']).toBe('dpop-lab-bearer');
  expect(claims['cnf']).toBeUndefined();

  await nav(page, 'Inspector').click();
  const users = page
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: `GET ${API}/api/users → 200` }) });
  await expect(users).toContainText('Authorization: Bearer, no proof');
  await expect(users).toContainText('A plain bearer token');
});

test('after a bearer session, signing in normally is DPoP again', async ({ page }) => {
  await signInWithBearer(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The authorization server asks to confirm (RP-initiated logout) for the bearer client too.
  await page.waitForURL(`${ISSUER}/**`);
  await expect(page.getByRole('paragraph')).toContainText('DPoP Lab (plain bearer tokens)');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${SPA}/`);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await signIn(page);
  await expect(page.getByRole('banner')).not.toContainText('plain bearer tokens');
  const apiRequests = watch(page, (r) => r.url() === `${API}/api/users` && r.method() === 'GET');
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  for (const headers of await apiRequests()) {
    expect(headers['authorization']).toMatch(/^DPoP /);
    expect(headers['dpop']).toBeTruthy();
  }
});

for (const ending of ['confirming at the server', 'closing its sign-out page'] as const) {
  test(`bearer mode: after signing out (${ending}) a refresh token copied before is refused`, async ({
    page,
  }) => {
    await signInWithBearer(page);
    const copied = await page.evaluate(storedRefreshToken);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${ISSUER}/**`);
    if (ending === 'confirming at the server') {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${SPA}/`);
    } else {
      await page.close(); // the logout confirmation never happens: only the revocation ended it
    }

    // The thief's own client: the bearer client needs no proof, only the token (RFC 6749 §6).
    const answer = await fetch(`${ISSUER}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: copied,
        client_id: 'dpop-lab-bearer',
      }),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toBe('invalid_grant');
  });
}
