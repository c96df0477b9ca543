import { expect, test } from '@playwright/test';

test('a callback whose state was not started here is refused with a clear message', async ({ page }) => {
  await page.goto('/login/callback?code=stolen-code&state=not-ours');
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/sign-in/i);
  await expect(page.getByRole('button', { name: /sign in/i }).first()).toBeVisible();
});

test('an error callback shows the server error and its description', async ({ page }) => {
  await page.goto('/login/callback?error=access_denied&error_description=The+user+said+no');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('access_denied');
  await expect(alert).toContainText('The user said no');
});
