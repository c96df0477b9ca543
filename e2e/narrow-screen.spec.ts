import { type Page } from '@playwright/test';

import { expect, nav, signIn, test } from './fixtures';

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

test('no view scrolls sideways at 390 px, with long values on show', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page, 'Home, signed out');

  await signIn(page);
  await expectNoSidewaysScroll(page, 'Home');

  await nav(page, 'Profile').click();
  await expect(page.getByText('alice@example.com')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Profile');

  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await expectNoSidewaysScroll(page, 'Users');

  await nav(page, 'Inspector').click();
  await expect(page.getByTestId('key-thumbprint')).toBeVisible();
  await expect(page.getByRole('article').first()).toBeVisible();
  await expectNoSidewaysScroll(page, 'Inspector');

  await nav(page, 'Attack lab').click();
  await page.getByRole('button', { name: 'Sign a proof with another key' }).click();
  await expect(page.getByTestId('result-foreign-key').getByTestId('status')).toHaveText('401');
  await page.getByRole('button', { name: 'Start a sign-in of its own' }).click();
  await expect(page.getByTestId('lesson-own-sign-in').getByTestId('status')).toHaveText('200');
  await page.getByRole('button', { name: 'Steal the refresh token' }).click();
  await expect(page.getByTestId('lesson-stolen-refresh-token').getByTestId('status')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Attack lab');

  await nav(page, 'Check this API').click();
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.getByTestId('summary')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Check this API');
});
