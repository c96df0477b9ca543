import { athOf } from '@dpop-lab/protocol';
import {
  expect,
  test,
  API,
  ISSUER,
  nav,
  readDpopRequest,
  logIn,
  signIn,
  SPA,
  storedKeyCount,
  storedRefreshToken,
} from './fixtures';

test('alice signs in, sees her profile, and the users list shows bob', async ({ page }) => {
  await signIn(page);
  // Her name from the start (the ID token has none: sign-in read it from userinfo once).
  await expect(page.getByRole('banner')).toContainText('Signed in as Alice Anders');

  await nav(page, 'Profile').click();
  await expect(page).toHaveTitle('DPoP Lab — Profile');
  await expect(page.getByText('alice@example.com')).toBeVisible();

  await nav(page, 'Users').click();
  await expect(page).toHaveTitle('DPoP Lab — Users');
  const table = page.getByRole('table');
  await expect(table).toContainText('Bob Brandt');
  await expect(table).toContainText('bob@example.com');
});

test('every users API call carries Authorization: DPoP and a fresh proof that verifies', async ({
  page,
}) => {
  await signIn(page);
  const seen: Promise<Awaited<ReturnType<typeof readDpopRequest>>>[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${API}/api/users`) && request.method() === 'GET') {
      seen.push(readDpopRequest(request));
    }
  });
  const succeeded = page.waitForResponse(
    (r) => r.url() === `${API}/api/users` && r.status() === 200,
  );
  await nav(page, 'Users').click();
  await succeeded;
  await expect(page.getByRole('table')).toContainText('Bob Brandt');

  const requests = await Promise.all(seen);
  expect(requests.length).toBeGreaterThanOrEqual(1);
  for (const request of requests) {
    expect(request.authorization).toMatch(/^DPoP [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = request.authorization.slice('DPoP '.length);
    expect(request.header.alg).toBe('ES256');
    expect(request.header.jwk).toBeDefined();
    expect((request.header.jwk as Record<string, unknown>)['d']).toBeUndefined();
    expect(request.claims.htm).toBe('GET');
    expect(request.claims.htu).toBe(`${API}/api/users`);
    expect(request.claims.ath).toBe(await athOf(token));
    expect(typeof request.claims.jti).toBe('string');
  }
  // The final, accepted attempt carried the API's nonce (the first one may have been refused for lacking it).
  expect(requests.at(-1)!.claims.nonce).toBeTruthy();
  const jtis = new Set(requests.map((r) => r.claims.jti));
  expect(jtis.size).toBe(requests.length);

  // Opening the view again makes a new proof: a proof is never reused.
  const again = page.waitForRequest((r) => r.url() === `${API}/api/users` && r.method() === 'GET');
  await nav(page, 'Profile').click();
  await nav(page, 'Users').click();
  const second = await readDpopRequest(await again);
  expect(jtis.has(second.claims.jti)).toBe(false);
});

test('a reload keeps the user signed in with the same key', async ({ page }) => {
  await signIn(page);
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');

  const firstProof = page.waitForRequest(
    (r) => r.url() === `${API}/api/users` && r.method() === 'GET',
  );
  let userinfoCalls = 0;
  page.on('request', (r) => {
    if (r.url() === `${ISSUER}/me`) userinfoCalls++;
  });
  await page.reload();
  const afterReload = await readDpopRequest(await firstProof);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // The name came with the stored session, not from another userinfo request.
  await expect(page.getByRole('banner')).toContainText('Signed in as Alice Anders');
  expect(userinfoCalls).toBe(0);
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  expect(await storedKeyCount(page)).toBe(1);

  const nextProof = page.waitForRequest(
    (r) => r.url() === `${API}/api/users` && r.method() === 'GET',
  );
  await nav(page, 'Profile').click();
  await nav(page, 'Users').click();
  const later = await readDpopRequest(await nextProof);
  expect(later.header.jwk).toEqual(afterReload.header.jwk);
});

test('sign out revokes the refresh token, ends the session at the server and leaves no key in IndexedDB', async ({
  page,
}) => {
  await signIn(page);
  expect(await storedKeyCount(page)).toBe(1);
  const refreshToken = await page.evaluate(storedRefreshToken);

  // RFC 7009, before the end-session redirect, on the wire as DevTools shows it.
  const revoked = page.waitForResponse((r) => r.url() === `${ISSUER}/token/revocation`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  const revocation = await revoked;
  expect(revocation.status()).toBe(200);
  const form = new URLSearchParams(revocation.request().postData() ?? '');
  expect(form.get('token')).toBe(refreshToken);
  expect(form.get('token_type_hint')).toBe('refresh_token');
  expect(form.get('client_id')).toBe('dpop-lab-spa');

  // The authorization server asks to confirm (RP-initiated logout), then sends us back to the
  // app's page that says what was done.
  await page.waitForURL(`${ISSUER}/**`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${SPA}/signed-out`);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The signed-out page checks once that this browser keeps keys: it stores a throwaway key,
  // reads it back and deletes it (DpopKeyStore.checkStorage). Wait that out; a key sign-out
  // left behind would stay, and this would time out.
  await expect.poll(() => storedKeyCount(page), { timeout: 5_000 }).toBe(0);

  // The protected views now show no data: they offer sign-in instead.
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Sign in to see it' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('a wrong password is refused on the login page and nothing else happens', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  await logIn(page, 'alice', 'not-her-password');
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');
  expect(page.url()).toContain(ISSUER);
});

test('when the session ends, one notice says so with Sign in — no raw invalid_grant, no Try again', async ({
  page,
}) => {
  await signIn(page);
  // The server no longer takes the stored refresh token (as after a revocation elsewhere), and no
  // access token is left: the next view's call needs a refresh, which is refused.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('dpop-lab.session');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('session', 'readwrite').objectStore('session');
          const read = store.get('current');
          read.onsuccess = () => {
            const session = read.result as {
              refreshToken: string;
              tokens: object;
              revision: number;
            };
            const ended = {
              ...session,
              refreshToken: 'revoked',
              tokens: {},
              revision: session.revision + 1,
            };
            store.put(ended, 'current').onsuccess = () => resolve();
          };
        };
      }),
  );
  await page.goto('/users');
  const main = page.getByRole('main');
  const notice = main.getByRole('status').filter({ hasText: 'Your session has ended' });
  await expect(notice).toHaveCount(1);
  await expect(main.getByRole('alert')).toHaveCount(0);
  await expect(main).not.toContainText('invalid_grant');
  await expect(main.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await expect(main).toContainText('Nothing to show: you are signed out.');
  // The server still knows alice: Sign in comes straight back, to Users, signed in.
  await notice.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await expect(page).toHaveURL(`${SPA}/users`);
});
