import { type Page } from '@playwright/test';

import { API, expect, focused, getBearerToken, nav, signIn, test } from './fixtures';

/** Runs one attack from the lab and returns its result region. */
async function runAttack(page: Page, id: string, button: string) {
  const result = page.getByTestId(`result-${id}`);
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(result.getByTestId('status')).toBeVisible();
  return result;
}

test('each DPoP attack is Blocked as it should be, with WWW-Authenticate and a reason; the session survives', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  await expect(page).toHaveTitle('DPoP Lab — Attack lab');
  await expect(
    page.getByRole('button', { name: 'Reuse the bearer token from another client' }),
  ).toHaveAttribute('aria-disabled', 'true');

  const expected: [string, string, string, string, RegExp][] = [
    ['dpop-as-bearer', 'Send the DPoP token as Bearer', '401', 'invalid_token', /DPoP-bound/],
    ['no-proof', 'Send the DPoP token without a proof', '400', 'invalid_request', /DPoP header/],
    ['replayed-proof', 'Replay a captured proof', '401', 'invalid_dpop_proof', /already used/],
    ['wrong-url', 'Use a /api/users proof on /api/apps', '401', 'invalid_dpop_proof', /htu/],
    ['foreign-key', 'Sign a proof with another key', '401', 'invalid_token', /different key/],
    ['old-iat', 'Send a proof with an old iat', '401', 'invalid_dpop_proof', /iat/],
  ];
  for (const [id, button, status, error, described] of expected) {
    const result = await runAttack(page, id, button);
    await expect(result.getByTestId('status'), id).toHaveText(status);
    await expect(result.getByTestId('error'), id).toHaveText(error);
    await expect(result.locator('app-outcome-badge'), id).toHaveText('Blocked');
    await expect(result.locator('app-outcome-badge'), id).toHaveAttribute(
      'data-outcome',
      'blocked',
    );
    // The server's own challenge, as the browser read it (CORS exposes WWW-Authenticate).
    await expect(result.locator('dd code'), id).toContainText(`DPoP error="${error}"`);
    await expect(result.locator('dd code'), id).toContainText(described);
    await expect(result.locator('.why'), id).toContainText(/Why: .+\./);
  }

  // The proofs made outside the interceptor answered the API's nonce challenge themselves.
  const foreign = page.getByTestId('result-foreign-key');
  await foreign.getByText('What the attacker did').click();
  await expect(foreign).toContainText('401 use_dpop_nonce');

  // Nothing the attacks did broke the user's own session.
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
});

test('a plain bearer token, got beside the DPoP session, gets through from another client (200)', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  await getBearerToken(page);

  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${API}/api/`) && request.method() === 'GET') {
      void request.allHeaders().then((headers) => sent.push(headers['authorization'] ?? ''));
    }
  });
  const result = await runAttack(
    page,
    'bearer-replay',
    'Reuse the bearer token from another client',
  );
  await expect(result.getByTestId('status')).toHaveText('200');
  await expect(result.locator('app-outcome-badge')).toHaveText('Got through');
  await expect(result.locator('.why')).toContainText('works for whoever holds it');
  expect(sent.at(-1)).toMatch(/^Bearer /);
  // Side by side: the DPoP attacks still run with the session's own tokens.
  const replay = await runAttack(page, 'replayed-proof', 'Replay a captured proof');
  await expect(replay.getByTestId('status')).toHaveText('401');
});

test('an attack run from the keyboard keeps focus, and its result is still there after another view and a reload', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  const button = page.getByRole('button', { name: 'Use a /api/users proof on /api/apps' });
  await button.focus();
  await page.keyboard.press('Enter');
  const result = page.getByTestId('result-wrong-url');
  await expect(result.locator('app-outcome-badge')).toHaveText('Blocked');
  await expect(button).toBeFocused();
  expect(await focused(page)).toBe('BUTTON Use a /api/users proof on /api/apps');

  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await nav(page, 'Attack lab').click();
  await expect(result.getByTestId('status')).toHaveText('401');
  await expect(result.getByTestId('error')).toHaveText('invalid_dpop_proof');

  await page.reload();
  await expect(result.locator('app-outcome-badge')).toHaveText('Blocked');
  await expect(result.getByTestId('status')).toHaveText('401');
});

test('bearer and DPoP side by side in one go: the copied bearer token gets through, the DPoP one is blocked', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  await getBearerToken(page);
  await page.getByRole('button', { name: 'Run both' }).click();
  await expect(page.getByTestId('side-bearer-replay')).toContainText(/Got through\s+200/);
  await expect(page.getByTestId('side-dpop-as-bearer')).toContainText(
    /Blocked\s+401 invalid_token/,
  );
  await expect(page.getByTestId('side-bearer-replay').locator('app-outcome-badge')).toHaveAttribute(
    'data-outcome',
    'got-through',
  );
});
