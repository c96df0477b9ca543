import { type Page } from '@playwright/test';

import { seriousViolations } from './axe';
import { expect, getBearerToken, ISSUER, nav, signIn, SPA, test } from './fixtures';

test.use({ viewport: { width: 390, height: 844 } });

/**
 * The page does not scroll sideways. On failure, the elements that stick out say where — those
 * inside a box that scrolls (or clips) on its own, such as a wide table's, do not count.
 */
async function expectNoSidewaysScroll(page: Page, view: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const inOwnBox = (element: Element): boolean => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible') return true;
      }
      return false;
    };
    const sticksOut = (element: Element) => {
      const { left, right } = element.getBoundingClientRect();
      // The box, or content spilling out of it (a long token in a list item), past the screen.
      const spills = getComputedStyle(element).overflowX === 'visible';
      return Math.max(right, spills ? left + element.scrollWidth : 0) > width + 0.5;
    };
    const sticking = Array.from(document.querySelectorAll('body *'))
      .filter((element) => sticksOut(element) && !inOwnBox(element))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    return { scroll: document.documentElement.scrollWidth - width, sticking };
  });
  expect(overflow, `${view} at 390 px`).toEqual({ scroll: 0, sticking: [] });
}

/** No sideways scroll, and nothing serious for axe, in the view as it is now. */
async function expectFits(page: Page, view: string): Promise<void> {
  await expectNoSidewaysScroll(page, view);
  expect(await seriousViolations(page), `${view} at 390 px`).toEqual([]);
}

test('no view scrolls sideways at 390 px, with long values on show, and axe finds nothing serious', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectFits(page, 'Home, signed out');
  // A compact header: the brand and Sign in on one row, the links below.
  const header = await page.getByRole('banner').boundingBox();
  expect(header!.height).toBeLessThan(120);

  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Sign in to see it' })).toBeVisible();
  await expectFits(page, 'Users, signed out (the sign-in prompt)');

  await signIn(page);
  await expect(page.getByTestId('signed-in-thumbprint')).toBeVisible();
  await expectFits(page, 'Home, just signed in');

  await nav(page, 'Profile').click();
  await expect(page.getByText('alice@example.com')).toBeVisible();
  await expectFits(page, 'Profile');

  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await expect(page.getByTestId('call-story')).toBeVisible();
  await expectFits(page, 'Users');
  // Stacked rows: each cell a line of its own, under its column's name.
  const cell = page.getByRole('cell', { name: 'bob@example.com' });
  const name = page.getByRole('cell', { name: 'Bob Brandt' });
  expect((await cell.boundingBox())!.y).toBeGreaterThan((await name.boundingBox())!.y);

  await nav(page, 'Inspector').click();
  await expect(page.getByTestId('key-thumbprint')).toBeVisible();
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy the proof' }).first()).toBeVisible();
  await expectFits(page, 'Inspector');

  await nav(page, 'Attack lab').click();
  await getBearerToken(page);
  await page.getByRole('button', { name: 'Run both' }).click();
  await expect(page.getByTestId('side-dpop-as-bearer')).toContainText('Blocked');
  await page.getByRole('button', { name: 'Sign a proof with another key' }).click();
  await expect(page.getByTestId('result-foreign-key').getByTestId('status')).toHaveText('401');
  await page.getByRole('button', { name: 'Start a sign-in of its own' }).click();
  await expect(page.getByTestId('lesson-own-sign-in').getByTestId('status')).toHaveText('200');
  await page.getByRole('button', { name: 'Steal the refresh token' }).click();
  await expect(page.getByTestId('lesson-stolen-refresh-token').getByTestId('status')).toBeVisible();
  await expectFits(page, 'Attack lab');

  await nav(page, 'Check this API').click();
  await expect(page.getByTestId('catalogue-summary')).toBeVisible();
  await expectFits(page, 'Check this API, before a run');
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.getByTestId('summary')).toBeVisible();
  await expectFits(page, 'Check this API');
  // No box that scrolls on its own, cut off from the check's name.
  const table = page.getByRole('table');
  expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${SPA}/signed-out`);
  await expect(page.getByTestId('sign-out-report')).toBeVisible();
  await expectFits(page, 'Signed out');
});
