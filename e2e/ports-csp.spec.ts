/**
 * A call the page's Content-Security-Policy blocks is reported as that, not as a server that
 * did not answer (issue 21, item 2): the page gets a second policy that leaves out one server's
 * origin — what a dev server with ports written into its config did before — and the message
 * names the policy and the origin to add.
 */
import type { Page } from '@playwright/test';

import { API, expect, ISSUER, nav, signIn, test, type CspViolation } from './fixtures';

/**
 * Adds a `<meta>` policy to every page that lets it connect to itself and `origin` only. A page
 * must satisfy every policy it has (a second policy can only take away), so calls to any other
 * server are blocked.
 * (Rewriting the header with page.route would serve the page from no address, and Chromium's
 * Local Network Access checks would then refuse calls to localhost before the CSP is asked.)
 */
async function allowOnly(page: Page, origin: string): Promise<void> {
  await page.addInitScript((policy) => {
    const add = () => {
      const meta = document.createElement('meta');
      meta.httpEquiv = 'Content-Security-Policy';
      meta.content = policy;
      document.head.append(meta);
    };
    if (document.head) add();
    else document.addEventListener('DOMContentLoaded', add);
  }, `connect-src 'self' ${origin}`);
}

/** The violations are this case's own: each names `origin`; none other may occur. */
function expectOnlyBlocksOf(violations: CspViolation[], origin: string): void {
  expect(violations.length).toBeGreaterThan(0);
  for (const violation of violations) expect(violation.blocked).toContain(origin);
  // Accounted for: the fixture fails the test on any violation left in the list.
  violations.length = 0;
}

test('discovery blocked by the CSP: the sign-in alert names the policy and the origin to add', async ({
  page,
  cspViolations,
}) => {
  await allowOnly(page, API);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'This page’s Content-Security-Policy does not allow the sign-in server',
  );
  await expect(alert).not.toContainText('did not answer');
  await alert.getByText('Details for developers').click();
  await expect(alert).toContainText(
    `The authorization server at ${ISSUER} is not allowed by this page's Content-Security-Policy: ` +
      `the browser blocked the call. Add ${ISSUER} to its connect-src`,
  );
  expectOnlyBlocksOf(cspViolations, ISSUER);
});

test('the API blocked by the CSP: Users names the policy and the origin to add', async ({
  page,
  cspViolations,
}) => {
  await allowOnly(page, ISSUER);
  await signIn(page);
  await nav(page, 'Users').click();

  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    `The API at ${API}/api/ is not allowed by this page's Content-Security-Policy: the browser ` +
      `blocked the call. Add ${API} to its connect-src`,
  );
  expectOnlyBlocksOf(cspViolations, API);
});
