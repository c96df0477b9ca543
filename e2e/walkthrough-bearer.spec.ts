import { decodeJwt } from 'jose';

import {
  API,
  expect,
  getBearerToken,
  ISSUER,
  nav,
  readDpopRequest,
  requestsTo,
  signIn,
  SPA,
  test,
} from './fixtures';

test('the comparison: a plain bearer token of the bearer client beside the DPoP session, never mixed with it', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Attack lab').click();
  const authorize = requestsTo(page, (r) => r.url().startsWith(`${ISSUER}/auth?`));
  const tokens = requestsTo(page, (r) => r.url() === `${ISSUER}/token`);
  // Kept as the browser gets it: the callback page moves on, and the body would go with it.
  const issued: Record<string, string>[] = [];
  await page.route(`${ISSUER}/token`, async (route) => {
    const response = await route.fetch();
    if (route.request().postData()?.includes('client_id=dpop-lab-bearer')) {
      issued.push((await response.json()) as Record<string, string>);
    }
    await route.fulfill({ response });
  });
  await getBearerToken(page);

  const asked = new URL(authorize[0]!.url()).searchParams;
  expect(asked.get('client_id')).toBe('dpop-lab-bearer');
  expect(asked.get('redirect_uri')).toBe(`${SPA}/bearer/callback`);
  expect(asked.has('dpop_jkt')).toBe(false);
  const exchange = tokens.at(-1)!;
  expect(await exchange.headerValue('dpop'), 'no proof for the bearer client').toBeNull();
  expect(issued.map((body) => body['token_type'])).toEqual(['Bearer']);
  expect(decodeJwt(issued[0]!['access_token']!)['cnf']).toBeUndefined();

  // The DPoP session is untouched: still signed in, its calls still DPoP-bound.
  await expect(page.getByRole('banner')).toContainText('Signed in as Alice Anders');
  const api = requestsTo(page, (r) => r.url() === `${API}/api/users` && r.method() === 'GET');
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  for (const request of api) {
    const seen = await readDpopRequest(request);
    expect(seen.authorization).toMatch(/^DPoP /);
  }
});

for (const ending of ['confirming at the server', 'closing its sign-out page'] as const) {
  test(`sign-out (${ending}) revokes the refresh token with a proof of its key, then deletes the key`, async ({
    page,
  }) => {
    await signIn(page);
    const revocations = requestsTo(page, (r) => r.url() === `${ISSUER}/token/revocation`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${ISSUER}/**`);
    const revoked = revocations.at(-1)!;
    const proof = await readDpopRequest(revoked);
    expect(proof.claims.htm).toBe('POST');
    expect(proof.claims.htu).toBe(`${ISSUER}/token/revocation`);
    expect(proof.authorization, 'no access token to the revocation endpoint').toBe('');
    expect((await revoked.response())!.status()).toBe(200);
    if (ending === 'confirming at the server') {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${SPA}/signed-out`);
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    } else {
      await page.close(); // the logout confirmation never happens: the revocation ended the grant
    }
  });
}
