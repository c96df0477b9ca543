import { seriousViolations } from './axe';
import { expect, ISSUER, logIn, nav, signIn, test } from './fixtures';

test('home, profile and users have no serious accessibility violations', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await signIn(page);
  await nav(page, 'Profile').click();
  await expect(page.getByText('alice@example.com')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  expect(await seriousViolations(page)).toEqual([]);
});

test("the login page and the bearer client's consent page have no serious accessibility violations", async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  expect(await seriousViolations(page)).toEqual([]);
  await logIn(page, 'alice', 'alice-password');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await nav(page, 'Attack lab').click();
  await page.getByRole('button', { name: 'Get a plain bearer token' }).click();
  await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the app can be used with the keyboard, with a visible focus ring', async ({ page }) => {
  await page.goto('/');
  // The app starts after it has fetched config.json: wait for it before pressing Tab.
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  for (const stop of ['Skip to main content', 'DPoP Lab', 'Home']) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    await expect(focused).toHaveText(stop);
    const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline, stop).not.toBe('none');
  }
});
