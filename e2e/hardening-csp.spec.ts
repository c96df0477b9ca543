import { API, expect, ISSUER, signIn, test } from './fixtures';

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  );
}

test('the served app sends a strict CSP, Referrer-Policy and X-Content-Type-Options, and runs under them', async ({
  page,
  request,
}) => {
  const response = (await page.goto('/'))!;
  const headers = response.headers();
  const csp = directives(headers['content-security-policy']);

  expect(csp['script-src']).toEqual(["'self'"]); // no 'unsafe-inline', no 'unsafe-eval'
  expect(csp['default-src']).toEqual(["'self'"]);
  expect(csp['object-src']).toEqual(["'none'"]);
  expect(csp['frame-ancestors']).toEqual(["'none'"]);
  expect(csp['connect-src']).toEqual(["'self'", ISSUER, API]);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');

  // Styles: this origin, plus a fresh nonce per page for the <style> elements Angular adds.
  const [, nonceSource] = csp['style-src'];
  expect(csp['style-src'][0]).toBe("'self'");
  expect(csp['style-src']).not.toContain("'unsafe-inline'");
  const nonce = /^'nonce-(.+)'$/.exec(nonceSource)![1];
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const styles = await page.evaluate(() =>
    Array.from(document.querySelectorAll('style'), (style) => style.nonce),
  );
  expect(styles.length).toBeGreaterThan(0);
  expect(new Set(styles)).toEqual(new Set([nonce]));
  // …and they apply: the header is laid out by the component's stylesheet.
  expect(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).display)).toBe(
    'flex',
  );
  const again = (await request.get('/')).headers()['content-security-policy'];
  expect(again).not.toContain(nonce);

  for (const path of ['/config.json', '/favicon.ico', '/users']) {
    const other = (await request.get(path)).headers();
    expect(other['content-security-policy'], path).toContain("script-src 'self'");
    expect(other['x-content-type-options'], path).toBe('nosniff');
  }
});

test('signing in and calling both servers causes no CSP violation (the fixture checks every page)', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Profile' })
    .click();
  await expect(page.getByText('alice@example.com')).toBeVisible();
});
