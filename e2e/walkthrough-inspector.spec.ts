import { calculateJwkThumbprint, decodeJwt, type JWK } from 'jose';

import { athOf } from '@dpop-lab/protocol';
import { API, expect, nav, readDpopRequest, type SeenDpopRequest, signIn, test } from './fixtures';

test('the inspector shows the users call: the nonce handshake, the proof decoded, and cnf.jkt equal to the key thumbprint', async ({
  page,
}) => {
  await signIn(page);
  const seen: Promise<SeenDpopRequest>[] = [];
  page.on('request', (request) => {
    if (request.url() === `${API}/api/users` && request.method() === 'GET') {
      seen.push(readDpopRequest(request));
    }
  });
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  const onTheWire = (await Promise.all(seen)).at(-1)!;

  await nav(page, 'Inspector').click();
  await expect(page).toHaveTitle('DPoP Lab — Inspector');
  await expect(page.getByText('Decoded, not verified:', { exact: true })).toBeVisible();

  // The key: its thumbprint is the one of the jwk in the proofs that went out.
  const keyThumbprint = page.getByTestId('key-thumbprint');
  await expect(keyThumbprint).toHaveText(await calculateJwkThumbprint(onTheWire.header.jwk as JWK));
  await expect(page.getByTestId('key-extractable')).toHaveText('false');
  await expect(page.getByText('IndexedDB, database "dpop-lab"')).toBeVisible();

  // The newest request is the users call, under "Opened Users", named by what it was for, with
  // its handshake drawn and its proof decoded.
  await expect(page.getByRole('heading', { level: 3 }).first()).toContainText('Opened Users');
  const request = page.getByRole('article').first();
  await expect(request.getByRole('heading', { level: 4 })).toHaveText(
    'The API: GET /api/users → 200',
  );
  await expect(request).toContainText(`GET ${API}/api/users`);
  const steps = request.getByRole('list', { name: 'The exchange, step by step' });
  await expect(steps.getByRole('listitem').first()).toContainText('GET /api/users');
  await expect(steps).toContainText('401 use_dpop_nonce');
  await expect(steps).toContainText('DPoP-Nonce: ');
  await expect(steps.getByRole('listitem').last()).toContainText('200');

  const claims = request.getByRole('table', { name: 'DPoP proof: claims' }).last();
  await expect(claims.getByRole('row', { name: /^htu/ })).toContainText(`${API}/api/users`);
  await expect(claims.getByRole('row', { name: /^htm/ })).toContainText('GET');
  await expect(claims.getByRole('row', { name: /^ath/ })).toContainText(
    await athOf(onTheWire.authorization.slice('DPoP '.length)),
  );
  await expect(claims).toContainText('RFC 9449 §4.2');
  const header = request.getByRole('table', { name: 'DPoP proof: header' }).last();
  await expect(header.getByRole('row', { name: /^typ/ })).toContainText('dpop+jwt');

  // The access token: cnf.jkt equals the key thumbprint, and ath recomputed matches.
  const jkt = (decodeJwt(onTheWire.authorization.slice('DPoP '.length))['cnf'] as { jkt: string })
    .jkt;
  await expect(request.getByTestId('token-cnf-jkt')).toHaveText(jkt);
  await expect(keyThumbprint).toHaveText(jkt);
  await expect(request.getByText("equals the key's thumbprint")).toBeVisible();
  await expect(request.getByTestId('proof-ath')).toHaveText(
    (await request.getByTestId('recomputed-ath').textContent())!,
  );
  await expect(request.getByText('this is the token that was sent')).toBeVisible();
  await expect(request.getByTestId('proof-jwk-thumbprint').last()).toHaveText(jkt);
});

test('the inspector also shows the token endpoint handshake of the sign-in (400 use_dpop_nonce, then 200), named as such', async ({
  page,
}) => {
  await signIn(page);
  await nav(page, 'Inspector').click();
  const signingIn = page.getByRole('region', { name: /^Signed in/ });
  const tokenRequest = signingIn
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: 'Sign-in: the code exchange → 200' }) });
  const steps = tokenRequest.getByRole('list', { name: 'The exchange, step by step' });
  await expect(steps).toContainText('DPoP proof only, no nonce');
  await expect(steps).toContainText('400 use_dpop_nonce');
  await expect(steps).toContainText("DPoP proof only, with the server's nonce");
  await expect(steps.getByRole('listitem').last()).toContainText('200');
  await expect(tokenRequest).toContainText('The token endpoint gets a proof and no access token');
});

test('the inspector names each exchange, has copy controls for the raw proof and token, and keeps its log after a reload', async ({
  context,
  page,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await nav(page, 'Inspector').click();

  const labels = page.getByRole('article').getByRole('heading', { level: 4 });
  await expect(labels).toHaveText([
    'The API: GET /api/users → 200',
    'Refresh: a new token for the API → 200',
    'Userinfo: GET /me → 200',
    'Sign-in: the code exchange → 200',
  ]);

  const request = page.getByRole('article').first();
  const proof = await request.getByTestId('raw-proof').last().textContent();
  await request.getByRole('button', { name: 'Copy the proof' }).last().click();
  await expect(request.getByText('Copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(proof);
  await request.getByRole('button', { name: 'Copy the access token' }).click();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token).toBe(await request.getByTestId('raw-token').textContent());
  expect(await athOf(token)).toBe(await request.getByTestId('proof-ath').textContent());

  await page.reload();
  await expect(labels).toHaveCount(4);
  await expect(labels.first()).toHaveText('The API: GET /api/users → 200');
  // Kept in sessionStorage: proofs, never an access token.
  const kept = await page.evaluate(() => sessionStorage.getItem('dpop-lab.lab.exchanges'));
  expect(kept).toContain(proof);
  expect(kept).not.toContain(token);
});
