import { seriousViolations } from './axe';
import { expect, getBearerToken, nav, signIn, test } from './fixtures';

test('the inspector, the attack lab and the checks, with results shown, have no serious accessibility violations', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'DPoP Lab', level: 1 })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await signIn(page);
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');

  await nav(page, 'Inspector').click();
  await expect(page.getByTestId('key-thumbprint')).toBeVisible();
  await expect(page.getByRole('article').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await nav(page, 'Attack lab').click();
  await getBearerToken(page);
  await page.getByRole('button', { name: 'Run both' }).click();
  await expect(page.getByTestId('side-bearer-replay')).toContainText('Got through');
  await expect(page.getByTestId('side-dpop-as-bearer')).toContainText('Blocked');
  await page.getByRole('button', { name: 'Replay a captured proof' }).click();
  await expect(page.getByTestId('result-replayed-proof').getByTestId('status')).toHaveText('401');
  await page.getByRole('button', { name: 'Steal the refresh token' }).click();
  await expect(page.getByTestId('lesson-stolen-refresh-token').getByTestId('status')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await nav(page, 'Check this API').click();
  await expect(page.getByTestId('catalogue-summary')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
