import { seriousViolations } from './axe';
import { expect, ISSUER, nav, signIn, test } from './fixtures';

test('script in the page signs in on its own in a popup: tokens bound to its key, and the API takes them', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Start a sign-in of its own' }).click();
  await popup;

  const result = page.getByTestId('lesson-own-sign-in');
  await expect(result.getByTestId('status')).toHaveText('200');
  await expect(result.locator('app-outcome-badge')).toHaveText('Got through');
  const steps = await result.locator('li').allTextContents();
  const [, scriptKey, appKey] = /thumbprint (\S+) — not this browser's key \((\S+)\)/.exec(
    steps[0] ?? '',
  )!;
  expect(scriptKey).not.toBe(appKey);
  expect(steps).toContain(`Its access token's cnf.jkt is ${scriptKey}: the script's key.`);
  expect(steps.at(-1)).toMatch(/^Called GET \/api\/users .*: 200\.$/);
  expect(await seriousViolations(page)).toEqual([]);

  // The app's own session is another one, and it goes on.
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
});

test('a stolen refresh token is blocked without the key, its steps shown as they happen; the session keeps refreshing', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  // The token endpoint answers slowly here, so the page has to show the steps as they come.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`${ISSUER}/token`, async (route) => {
    await released;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Steal the refresh token' }).click();

  const result = page.getByTestId('lesson-stolen-refresh-token');
  await expect(result.getByRole('listitem').first()).toContainText(
    'a DPoP session with a refresh token',
  );
  await expect(result).toContainText('Sending it to the token endpoint');
  release();
  await expect(result.locator('app-outcome-badge')).toHaveText('Blocked');
  await expect(result.getByTestId('status')).toHaveText(/^400 /);
  await expect(result).toContainText('a DPoP session with a refresh token');
  await expect(result).toContainText('without a DPoP proof: 400');
  await expect(result).toContainText('with a proof of that key, after the nonce challenge: 400');

  // Users needs a token for the API, which the app gets with that refresh token: still valid.
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
});
