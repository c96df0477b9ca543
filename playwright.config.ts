import { defineConfig } from '@playwright/test';

import chromiumArgs from './chromium-args.json' with { type: 'json' };
import { e2eWorld } from './e2e/world';
import { SAMPLE_NAMES, SAMPLES } from './server/config';

/**
 * End-to-end specs drive the production build of the app in Chromium against the real
 * embedded servers. They run on their own ports (3100, 3101, 4300 by default;
 * E2E_PORT_OFFSET moves them) so they never meet a running `npm start`.
 * The browser is the machine's own Chromium/Chrome (CHROME_BIN; Debian's by default):
 * Playwright's browser download is not used.
 */
const chromium = process.env['CHROME_BIN'] || '/usr/bin/chromium';
const world = e2eWorld();
const env = {
  AS_PORT: String(world.asPort),
  API_PORT: String(world.apiPort),
  SPA_ORIGIN: world.spa,
  ...Object.fromEntries(
    SAMPLE_NAMES.map((name) => [SAMPLES[name].originVariable, world.samples[name].origin]),
  ),
  // A throw-away data folder: the e2e run never touches the developer's keys.
  DPOP_LAB_DATA_DIR: `.data/e2e-${world.offset}`,
};

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: world.spa,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: chromiumArgs,
    },
  },
  webServer: [
    {
      command: 'npx tsx server/main.ts',
      url: `${world.issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      env,
      timeout: 60_000,
    },
    {
      // The production build, served with the headers it ships with; its config.json
      // follows the ports above.
      command: `npx ng build --output-path ${world.dist} && npx tsx server/app-server/main.ts --root ${world.dist}/browser`,
      url: world.spa,
      reuseExistingServer: false,
      // The production build as `npm run build` makes it, its chunks merged (docs/performance.md).
      env: { ...env, NG_BUILD_OPTIMIZE_CHUNKS: '1' },
      timeout: 240_000,
    },
    // The sample apps (projects/samples/): one production build each, served the same way.
    ...SAMPLE_NAMES.map((name) => ({
      command:
        `npx ng build sample-${name} --output-path ${world.samples[name].dist} && ` +
        `npx tsx server/app-server/main.ts --sample ${name} --root ${world.samples[name].dist}/browser`,
      url: world.samples[name].origin,
      reuseExistingServer: false,
      env,
      timeout: 240_000,
    })),
  ],
});
