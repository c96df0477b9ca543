/**
 * Benchmark 4: sign-in round trips and time, in Chromium against the real servers.
 *
 * The authorization server, the API and the production build (served by the app server) run in
 * this process on ports 3400, 3401 and 4600 with nonces ON at both servers, and a throw-away data
 * folder. Playwright clicks Sign in, signs in as alice on the server's login page, and opens
 * Users; every request to the token endpoint and to the API is counted, with the
 * `use_dpop_nonce` challenges among them. Then Users is opened three more times: with the nonce
 * remembered per origin, those calls must cost one request each.
 *
 * login_ms = (click on the app's Sign in → login page ready) + (click on the login page's
 * Sign in → users table rendered); the time Playwright spends typing is left out.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { chromium, type Page, type Response } from '@playwright/test';

import { startAppServer } from '../server/app-server/create-app-server.ts';
import { startAuthorizationServer } from '../server/authorization-server/create-authorization-server.ts';
import { readConfig } from '../server/config.ts';
import { startResourceApi } from '../server/resource-api/create-resource-api.ts';
import { cachedNgBuild } from './lib/ng-build.ts';
import { CHROME, CHROME_ARGS, OUT, ROOT } from './lib/paths.ts';
import type { Figures } from './lib/results.ts';

export const APP_BUILD = join(OUT, 'app');
const REVISITS = 3;

interface Counter {
  requests: number;
  challenges: number;
}

/** The app's production build (`ng build`), unless the last one is from the same sources. */
export function buildApp(): Promise<boolean> {
  return cachedNgBuild({
    args: ['--output-path', APP_BUILD, '--stats-json'],
    outDir: APP_BUILD,
    sources: [
      'src',
      'projects',
      'public',
      'angular.json',
      'tsconfig.json',
      'tsconfig.app.json',
    ].map((p) => join(ROOT, p)),
  });
}

export async function runSignInBenchmark(): Promise<Figures> {
  await buildApp();
  const root = join(APP_BUILD, 'browser');
  const dataDir = join(OUT, 'sign-in-data');
  await rm(dataDir, { recursive: true, force: true });
  const config = readConfig({
    AS_PORT: '3400',
    API_PORT: '3401',
    SPA_ORIGIN: 'http://localhost:4600',
    DPOP_LAB_DATA_DIR: dataDir,
  });
  const as = await startAuthorizationServer({ config });
  const api = await startResourceApi({ config });
  const app = await startAppServer({ config, root });
  const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS });
  try {
    const page = await browser.newPage();
    const token: Counter = { requests: 0, challenges: 0 };
    const apiCalls: Counter = { requests: 0, challenges: 0 };
    const pending: Promise<void>[] = [];
    page.on('response', (response) => pending.push(count(response, config, token, apiCalls)));

    await page.goto(`${app.url}/`);
    const signIn = page.getByRole('button', { name: 'Sign in' });
    await signIn.waitFor();

    const t0 = performance.now();
    await signIn.click();
    await page.getByLabel('Username').waitFor({ timeout: 30_000 });
    const tLoginPage = performance.now();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-password');
    const tSubmit = performance.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    const tSignedIn = performance.now();
    await openUsers(page);
    const tUsers = performance.now();
    await Promise.all(pending);
    const first = { token: { ...token }, api: { ...apiCalls } };

    for (let i = 0; i < REVISITS; i++) {
      await nav(page, 'Home').click();
      await openUsers(page);
    }
    await Promise.all(pending);

    const loginMs = tLoginPage - t0 + (tUsers - tSubmit);
    // okta-auth-js sends every token request without a nonce first (makeTokenRequest in
    // esm/browser/oidc/endpoints/token.js retries only after use_dpop_nonce) and its README's
    // resource-call pattern does the same for every API call: each call costs two requests.
    const tokenCalls = token.requests - token.challenges;
    const apiCallCount = apiCalls.requests - apiCalls.challenges;
    return {
      login_ms: {
        value: Math.round(loginMs),
        unit: 'ms',
        notes: [
          `login_ms: app Sign in → login page ${Math.round(tLoginPage - t0)} ms; login page Sign in → ` +
            `signed in ${Math.round(tSignedIn - tSubmit)} ms → Users rendered ${Math.round(tUsers - tSignedIn)} ms ` +
            `(nonces ON at both servers). Sign-in + first Users: ${first.token.requests} token requests ` +
            `(${first.token.challenges} use_dpop_nonce), ${first.api.requests} API requests ` +
            `(${first.api.challenges} use_dpop_nonce); ${REVISITS} more Users visits: ` +
            `${apiCalls.requests - first.api.requests} API requests ` +
            `(${apiCalls.challenges - first.api.challenges} use_dpop_nonce), ` +
            `${token.requests - first.token.requests} token requests.`,
          'okta-auth-js figures are what its code does for the same calls (it is not run against ' +
            'these servers): a token request always goes out without a nonce first ' +
            '(makeTokenRequest, esm/browser/oidc/endpoints/token.js) and its README retries API ' +
            'calls the same way, so every call pays the round trip.',
        ],
      },
      login_token_requests: {
        value: token.requests,
        unit: 'requests',
        compare: { 'okta-auth-js, same token calls': 2 * tokenCalls },
      },
      login_api_requests: {
        value: apiCalls.requests,
        unit: 'requests',
        compare: { 'okta-auth-js, same API calls': 2 * apiCallCount },
      },
      nonce_round_trips: {
        value: token.challenges + apiCalls.challenges,
        unit: 'round trips',
        compare: { 'okta-auth-js, same calls': tokenCalls + apiCallCount },
        goal: { op: '≤', limit: 2 },
      },
    };
  } finally {
    await browser.close();
    await app.close();
    await api.close();
    await as.close();
  }
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

async function openUsers(page: Page): Promise<void> {
  await nav(page, 'Users').click();
  await page.getByRole('table').filter({ hasText: 'Bob Brandt' }).waitFor({ timeout: 30_000 });
}

async function count(
  response: Response,
  config: ReturnType<typeof readConfig>,
  token: Counter,
  apiCalls: Counter,
): Promise<void> {
  const request = response.request();
  const url = new URL(request.url());
  if (request.method() === 'OPTIONS') return;
  if (url.origin === config.issuer && url.pathname === '/token') {
    token.requests += 1;
    if (response.status() === 400) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      if (body.error === 'use_dpop_nonce') token.challenges += 1;
    }
  } else if (url.origin === config.apiPublicUrl && url.pathname.startsWith('/api/')) {
    apiCalls.requests += 1;
    const challenge = (await response.headerValue('www-authenticate')) ?? '';
    if (response.status() === 401 && challenge.includes('use_dpop_nonce')) apiCalls.challenges += 1;
  }
}
