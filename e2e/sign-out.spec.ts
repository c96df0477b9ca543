import { seriousViolations } from './axe';
import { expect, ISSUER, signIn, SPA, storedKeyCount, test } from './fixtures';

test('sign-out offers no "stay signed in" and ends on an app page that says what was done', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  // The app has signed out, deleted the key and revoked the refresh token already: the server's
  // page offers only what it can still do.
  await expect(page.getByRole('button')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByText(/stay signed in/i)).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${SPA}/signed-out`);
  await expect(page).toHaveTitle('DPoP Lab — Signed out');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signed out');
  const report = page.getByTestId('sign-out-report');
  await expect(report.getByRole('listitem')).toHaveText([
    /DPoP key was deleted/,
    /refresh token was revoked at the authorization server/,
    /session at the authorization server has ended/,
  ]);
  await expect.poll(() => storedKeyCount(page), { timeout: 5_000 }).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);

  // Said once: the home page is the home page again.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('DPoP Lab');
});

test('with the authorization server down, sign-out still ends on the app page, saying what could not be done', async ({
  page,
}) => {
  await signIn(page);
  await page.route(`${ISSUER}/**`, (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${SPA}/signed-out`);
  const report = page.getByTestId('sign-out-report');
  await expect(report.getByRole('listitem')).toHaveText([
    /DPoP key was deleted/,
    /refresh token was not revoked: the authorization server did not answer/,
    /authorization server could not be reached/,
  ]);
  await expect(report).not.toContainText('was revoked at');
});
