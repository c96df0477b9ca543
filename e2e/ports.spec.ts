/**
 * Issue 21's must-show line: `AS_PORT=3200 API_PORT=3201 SPA_ORIGIN=http://localhost:4210
 * npm start` signs in and shows Users with no file edited. This spec runs the real `npm start`
 * (scripts/start.mjs: the embedded servers and `ng serve`, hot reload and all) on ports of its
 * own — 5 above this run's e2e world, so neither a developer's `npm start` nor the world that
 * playwright.config.ts starts is in the way — then stops it as Ctrl-C does.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { expect, nav, signIn, test } from './fixtures';
import { e2eWorld } from './world';

const world = e2eWorld();
const AS_PORT = world.asPort + 5;
const API_PORT = world.apiPort + 5;
const ISSUER = `http://localhost:${AS_PORT}`;
const API = `http://localhost:${API_PORT}`;
const SPA = `http://localhost:${4200 + world.offset + 5}`;

let start: ChildProcess;
/** What npm start printed, attached to a failed test rather than printed. */
let printed = '';

/** Whether `url` answers 200 (false while nothing listens). */
async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: SPA });

test.beforeAll(async () => {
  // ng serve's first build takes about 20 s on this machine.
  test.setTimeout(180_000);
  start = spawn('node', ['scripts/start.mjs'], {
    env: {
      ...process.env,
      AS_PORT: String(AS_PORT),
      API_PORT: String(API_PORT),
      SPA_ORIGIN: SPA,
      DPOP_LAB_DATA_DIR: `.data/e2e-ports-${world.offset}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (chunk) => (printed += chunk));
  start.stderr!.on('data', (chunk) => (printed += chunk));
  for (let i = 0; i < 340; i++) {
    expect(start.exitCode, `npm start stopped:\n${printed}`).toBeNull();
    const urls = [`${SPA}/config.json`, `${ISSUER}/.well-known/openid-configuration`];
    if ((await Promise.all(urls.map(answers))).every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm start did not serve ${SPA} and ${ISSUER} within 170 s:\n${printed}`);
});

test.afterAll(async () => {
  if (start.exitCode === null) start.kill('SIGINT');
});

test.afterEach(async () => {
  const testInfo = test.info();
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('npm start output', { body: printed, contentType: 'text/plain' });
  }
});

test('the dev server serves a config.json and a CSP that name the servers’ ports', async ({
  request,
}) => {
  const page = await request.get('/users');
  expect(page.headers()['content-security-policy']).toContain(
    `connect-src 'self' ${ISSUER} ${API};`,
  );
  const config = await (await request.get('/config.json')).json();
  expect(config.issuer).toBe(ISSUER);
  expect(config.api).toEqual({ baseUrl: `${API}/api/`, resource: `${API}/api` });
});

test('alice signs in and sees Users, with no CSP violation (the fixture checks)', async ({
  page,
}) => {
  await signIn(page, { issuer: ISSUER, spa: SPA });

  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
});

test('Ctrl-C stops the three servers', async () => {
  const stopped = new Promise((resolve) => start.once('exit', resolve));
  start.kill('SIGINT');
  await stopped;
  for (const url of [SPA, `${ISSUER}/.well-known/openid-configuration`, `${API}/api/users`]) {
    await expect(fetch(url), url).rejects.toThrow();
  }
});
