import { expect, ISSUER, test } from './fixtures';

test('a callback whose state was not started here is refused with a clear message', async ({
  page,
}) => {
  await page.goto('/login/callback?code=stolen-code&state=not-ours');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('does not match a sign-in started here');
  await expect(page.getByRole('button', { name: 'Sign in again' })).toBeVisible();
});

test('an error callback for a sign-in started here shows the server error and its description', async ({
  page,
}) => {
  await page.goto('/');
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/auth`));
  await page.getByRole('button', { name: 'Sign in' }).click();
  const state = new URL((await authorize).url()).searchParams.get('state');
  expect(state).toBeTruthy();
  await expect(page.getByLabel('Username')).toBeVisible();

  // What the server sends back when the user declines (RFC 6749 §4.1.2.1).
  await page.goto(
    `/login/callback?error=access_denied&error_description=The+user+said+no&state=${state}`,
  );
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('access_denied');
  await expect(alert).toContainText('The user said no');
});
