import { startAppServer, type RunningAppServer } from '../server/app-server/create-app-server.ts';
import { startTestWorld, type TestWorld } from '../server/testing/test-world.ts';
import { expect, logIn, nav, test } from './fixtures';
import { e2eWorld } from './world';

/**
 * Opaque access tokens, as WSO2 Identity Server issues them: the embedded authorization server
 * with AS_API_TOKEN_FORMAT=opaque, and the API checking each token by introspection (RFC 7662,
 * `cnf.jkt` in the answer, RFC 9449 §6.2). Its own world, served on SPA port 4260 + offset.
 */
const run = e2eWorld();
const SPA = `http://localhost:${4260 + run.offset}`;
let world: TestWorld;
let app: RunningAppServer;

test.beforeAll(async () => {
  world = await startTestWorld({ spaOrigin: SPA, asApiTokenFormat: 'opaque' });
  app = await startAppServer({ config: world.config, root: `${run.dist}/browser` });
});

test.afterAll(async () => {
  await app?.close();
  await world?.close();
});

test('with opaque API tokens checked by introspection, the users view works and the token is no JWT', async ({
  page,
}) => {
  await page.goto(SPA);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${world.issuer}/**`);
  await logIn(page, 'alice', 'alice-password');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  const call = page.waitForRequest((r) => r.url() === `${world.api}/api/users`);
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  const headers = await (await call).allHeaders();
  const token = headers['authorization']!.replace(/^DPoP /, '');
  expect(token.split('.')).toHaveLength(1); // opaque: only the authorization server can read it
  expect(headers['dpop']).toBeTruthy();
});
