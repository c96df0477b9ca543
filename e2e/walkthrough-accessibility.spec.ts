import { seriousViolations } from './axe';
import { expect, nav, signIn, test } from './fixtures';

test('the inspector and the attack lab, with results shown, have no serious accessibility violations', async ({
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
  await page.getByRole('button', { name: 'Replay a captured proof' }).click();
  await expect(page.getByTestId('result-replayed-proof').getByTestId('status')).toHaveText('401');
  expect(await seriousViolations(page)).toEqual([]);
});
