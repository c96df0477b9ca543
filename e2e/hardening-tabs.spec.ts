import type { BrowserContext, Page, Request } from '@playwright/test';

import { startAppServer, type RunningAppServer } from '../server/app-server/create-app-server.ts';
import { startTestWorld, type TestWorld } from '../server/testing/test-world.ts';
import { expect, logIn, nav, test } from './fixtures';
import { e2eWorld } from './world';

/**
 * Its own world, because it needs access tokens that live 5 seconds (ACCESS_TOKEN_TTL=5) and the
 * run's servers keep the default: the real authorization server (rotating refresh tokens on every
 * use, its default) and API on free ports, and the run's production build served for them on SPA
 * port 4250 + E2E_PORT_OFFSET.
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
  /** The refresh token the request carried (refresh-token grant). */
  refreshToken: string | null;
  /** Its `resource` (RFC 8707): null for the userinfo token. */
  resource: string | null;
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
    const form = new URLSearchParams(request.postData() ?? '');
    return {
      grant: form.get('grant_type'),
      refreshToken: form.get('refresh_token'),
      resource: form.get('resource'),
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

/** Opens a view from the main navigation and waits for what it shows. */
async function open(tab: Page, view: 'Profile' | 'Users'): Promise<void> {
  await nav(tab, view).click();
  if (view === 'Users') await expect(tab.getByRole('table')).toContainText('Bob Brandt');
  else await expect(tab.getByText('alice@example.com')).toBeVisible();
}

test('three tabs woken together after expiry, three rounds: every tab works, refresh tokens rotate, none is redeemed twice, each token is refreshed once a round', async ({
  context,
}) => {
  const tokenRequests = watchTokenEndpoint(context);
  const first = await context.newPage();
  await signIn(first);
  const tabs = [first, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) {
    await tab.goto(SPA);
    await expect(tab.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }

  const redeemed: string[] = [];
  for (let round = 1; round <= 3; round++) {
    // Counted from here: a refresh that came late for the last round would show in this one.
    const before = (await tokenRequests()).length;
    for (const tab of tabs) await nav(tab, 'Home').click();
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // both access tokens expired

    // All at once, both tokens wanted together: tabs 1 and 3 open Profile (userinfo token) while
    // tab 2 opens Users (API token), then each opens the other view.
    const views = ['Profile', 'Users'] as const;
    await Promise.all(tabs.map((tab, i) => open(tab, views[i % 2]!)));
    await Promise.all(tabs.map((tab, i) => open(tab, views[(i + 1) % 2]!)));

    const refreshes = (await tokenRequests())
      .slice(before)
      .filter((request) => request.grant === 'refresh_token');
    // A proof without the token endpoint's current nonce is answered use_dpop_nonce before the
    // refresh token is even looked at (RFC 9449 §8); the retry carries the same refresh token.
    const processed = refreshes.filter((request) => request.error !== 'use_dpop_nonce');
    expect(processed, `round ${round}: no refresh refused`).toEqual(
      processed.map((request) => ({ ...request, status: 200 })),
    );
    expect(
      processed.map((request) => request.resource ?? 'userinfo').sort(),
      `round ${round}: each token refreshed once`,
    ).toEqual([world.resource, 'userinfo'].sort());
    redeemed.push(...processed.map((request) => request.refreshToken ?? ''));
  }
  // Rotation: a new refresh token every time, so six distinct values, none sent twice.
  expect(new Set(redeemed).size).toBe(redeemed.length);
  expect(redeemed).toHaveLength(6);
  const settled = (await tokenRequests()).length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await tokenRequests(), 'and no late refresh').toHaveLength(settled);
  for (const tab of tabs) await expect(tab.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
