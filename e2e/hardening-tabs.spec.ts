import type { BrowserContext, Page, Request } from '@playwright/test';

import { startAppServer, type RunningAppServer } from '../server/app-server/create-app-server.ts';
import { startTestWorld, type TestWorld } from '../server/testing/test-world.ts';
import { expect, logIn, nav, test } from './fixtures';
import { e2eWorld } from './world';

/**
 * Its own world, because it needs access tokens that live 5 seconds (ACCESS_TOKEN_TTL=5) and the
 * run's servers keep the default: the real authorization server and API on free ports, and the
 * run's production build served for them on SPA port 4250 + E2E_PORT_OFFSET.
 */
const run = e2eWorld();
const SPA = `http://localhost:${4250 + run.offset}`;
let world: TestWorld;
let app: RunningAppServer;

test.beforeAll(async () => {
  world = await startTestWorld({ spaOrigin: SPA, accessTokenTtl: 5 });
  app = await startAppServer({ config: world.config, root: `${run.dist}/browser` });
});

test.afterAll(async () => {
  await app?.close();
  await world?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(SPA);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${world.issuer}/**`);
  await logIn(page, 'alice', 'alice-password');
  await page.waitForURL(`${SPA}/**`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

interface TokenRequest {
  grant: string | null;
  status: number;
  error?: string;
}

/** Every token-endpoint request of the context, with the grant it asked for and the answer. */
function watchTokenEndpoint(context: BrowserContext): () => Promise<TokenRequest[]> {
  const seen: Promise<TokenRequest>[] = [];
  const tokenEndpoint = `${world.issuer}/token`;
  const read = async (request: Request): Promise<TokenRequest> => {
    const response = await request.response();
    const status = response?.status() ?? 0;
    let error = response
      ? ((await response.json().catch(() => ({}))) as { error?: string }).error
      : undefined;
    // Chromium sometimes no longer holds the body of a request another tab's page made; the
    // nonce challenge is still recognisable: a 400 that hands out a DPoP-Nonce (RFC 9449 §8).
    if (!error && status === 400 && response?.headers()['dpop-nonce']) error = 'use_dpop_nonce';
    return {
      grant: new URLSearchParams(request.postData() ?? '').get('grant_type'),
      status,
      ...(error ? { error } : {}),
    };
  };
  // On 'request' (reliably reported), waiting for each answer.
  context.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === tokenEndpoint) seen.push(read(request));
  });
  return async () => Promise.all(seen);
}

test('three tabs with 5-second tokens all call the API after expiry: one refresh reaches the token endpoint', async ({
  context,
}) => {
  const tokenRequests = watchTokenEndpoint(context);
  const first = await context.newPage();
  await signIn(first);
  await nav(first, 'Users').click();
  await expect(first.getByRole('table')).toContainText('Bob Brandt');

  // Two more tabs of the same browser: they share the session and the key (IndexedDB).
  const tabs = [first, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) {
    await tab.goto(`${SPA}/users`);
    await expect(tab.getByRole('table')).toContainText('Bob Brandt');
  }
  for (const tab of tabs) await nav(tab, 'Home').click();

  // Every access token has expired now.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  const before = (await tokenRequests()).length;

  // All three call the API at once.
  await Promise.all(tabs.map((tab) => nav(tab, 'Users').click()));
  for (const tab of tabs) {
    await expect(tab.getByRole('table')).toContainText('Bob Brandt');
  }

  const refreshes = async () =>
    (await tokenRequests()).slice(before).filter((r) => r.grant === 'refresh_token');
  // One refresh grant was redeemed; a first attempt may have been answered with the token
  // endpoint's nonce challenge (RFC 9449 §8), which spends nothing. Nothing else was refused.
  await expect
    .poll(async () => (await refreshes()).filter((r) => r.status === 200))
    .toHaveLength(1);
  await new Promise((resolve) => setTimeout(resolve, 500)); // and no late one
  expect((await refreshes()).filter((r) => r.status === 200)).toHaveLength(1);
  expect(
    (await refreshes()).filter((r) => r.status !== 200 && r.error !== 'use_dpop_nonce'),
  ).toEqual([]);
});
