import { calculateJwkThumbprint, type JWK } from 'jose';

import { API, expect, nav, readDpopRequest, signIn, test } from './fixtures';

const MEMORY_ONLY =
  'Your browser refused to store the signing key (IndexedDB is unavailable here). ' +
  'This tab uses a memory-only key: you stay signed in until you reload.';

test('with IndexedDB blocked the app still signs in, says it uses a memory-only key, and calls the API with DPoP', async ({
  context,
  page,
}) => {
  // What "block site data" and some private modes do: opening IndexedDB throws.
  await context.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('IndexedDB is blocked in this test', 'SecurityError');
    };
  });

  await page.goto('/');
  // The start-up probe found out before anyone signed in.
  await expect(page.getByRole('status').filter({ hasText: 'memory-only key' })).toHaveText(
    MEMORY_ONLY,
  );

  await signIn(page);
  await expect(page.getByRole('status').filter({ hasText: 'memory-only key' })).toHaveText(
    MEMORY_ONLY,
  );

  const apiCall = page.waitForRequest(
    (request) =>
      request.url() === `${API}/api/users` && request.headers()['authorization'] !== undefined,
  );
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  const seen = await readDpopRequest(await apiCall);
  expect(seen.authorization).toMatch(/^DPoP /);
  // The token is bound to the memory-only key that signed the proof.
  const token = JSON.parse(
    Buffer.from(seen.authorization.slice(5).split('.')[1], 'base64url').toString(),
  ) as { cnf: { jkt: string } };
  expect(token.cnf.jkt).toBe(await calculateJwkThumbprint(seen.header.jwk as JWK));

  // Nothing was kept: the session does not outlive the key, as the notice said. (Reloaded on a
  // protected page, the app would sign in again at once through the server's own session.)
  expect(await page.evaluate(() => localStorage.getItem('dpop-lab.session'))).toBeNull();
  await nav(page, 'Home').click();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'memory-only key' })).toBeVisible();
});
