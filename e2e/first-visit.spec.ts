import { seriousViolations } from './axe';
import { API, expect, focused, ISSUER, logIn, nav, readDpopRequest, SPA, test } from './fixtures';

test('the home page spells DPoP out, shows the path and the demo accounts', async ({ page }) => {
  await page.goto('/');
  const main = page.getByRole('main');
  await expect(main).toContainText('DPoP — Demonstrating Proof of Possession');
  await expect(main.getByRole('heading', { name: 'Four steps' })).toBeVisible();
  await expect(main.locator('ol.path > li > strong:first-child')).toHaveText([
    'Sign in.',
    'Call the API.',
    'Inspect.',
    'Attack.',
  ]);
  await expect(main).toContainText('alice (password alice-password)');
  // The comparison with plain bearer tokens is no button of the home page.
  await expect(main.getByRole('button')).toHaveCount(0);
});

test('a signed-out visitor who opens Users stays in the app, is offered sign-in there, and lands back on Users', async ({
  page,
}) => {
  await page.goto('/');
  await nav(page, 'Users').click();
  await expect(page).toHaveURL(`${SPA}/users`);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('Users');
  await expect(main).toContainText('The people the resource API knows');
  await expect(main).toContainText('bob-password');
  expect(await seriousViolations(page)).toEqual([]);

  await main.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  await logIn(page, 'alice', 'alice-password');
  const call = page.waitForRequest((r) => r.url() === `${API}/api/users` && !!r.headers()['dpop']);
  await page.waitForURL(`${SPA}/users`);
  await expect(page.getByRole('table')).toContainText('Bob Brandt');

  // Right after sign-in: the tokens are bound to this browser's key, its thumbprint shown — the
  // cnf.jkt of the token the API got.
  const thumbprint = page.getByTestId('signed-in-thumbprint');
  await expect(thumbprint).toBeVisible();
  const token = (await readDpopRequest(await call)).authorization.slice('DPoP '.length);
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    cnf: { jkt: string };
  };
  await expect(thumbprint).toHaveText(claims.cnf.jkt);
  expect(await seriousViolations(page)).toEqual([]);
  // Said on the view sign-in landed on, once: a reload of it does not say it again.
  await page.reload();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await expect(thumbprint).toHaveCount(0);

  // The story of the call, and Users links to it in the Inspector.
  const story = page.getByTestId('call-story');
  await expect(story.getByRole('listitem')).toHaveCount(4);
  await expect(story.getByRole('listitem').nth(1)).toContainText('401 use_dpop_nonce');
  await expect(story.getByRole('listitem').nth(3)).toContainText('answered 200');
  await expect(page.getByTestId('cnf-jkt-explained')).toContainText(claims.cnf.jkt);
  await page.getByRole('link', { name: 'See this exchange in the Inspector' }).click();
  await expect(page).toHaveURL(/\/inspector#request-/);
  const article = page.locator('article:focus');
  await expect(article).toHaveCount(1);
  await expect(article.getByRole('heading', { level: 4 })).toHaveText(
    'The API: GET /api/users → 200',
  );

  // The banner said it once: not on the next view.
  await expect(page.getByTestId('signed-in-thumbprint')).toHaveCount(0);
});

test('the first Tab reaches a skip link, which moves focus to the content', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await expect(page).toHaveURL(`${SPA}/`);
  // The next Tab goes to the content's first link, not back through the header.
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatch(/^A /);
  await expect(page.getByRole('banner').locator(':focus')).toHaveCount(0);
});

test('opening a view moves focus to its heading', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  for (const [link, heading] of [
    ['Profile', 'Profile'],
    ['Attack lab', 'Attack lab'],
    ['Home', 'DPoP Lab'],
  ]) {
    await nav(page, link).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  }
});
