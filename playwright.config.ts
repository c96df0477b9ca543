import { defineConfig } from '@playwright/test';

/**
 * End-to-end specs drive the real app in Chromium against the real embedded servers.
 * The browser is the machine's own Chromium/Chrome (CHROME_BIN; Debian's by default):
 * Playwright's browser download is not used.
 */
const chromium = process.env['CHROME_BIN'] || '/usr/bin/chromium';
const spa = 'http://localhost:4200';

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
    baseURL: spa,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: 'npx tsx server/main.ts',
      url: 'http://localhost:3000/.well-known/openid-configuration',
      reuseExistingServer: !process.env['CI'],
      // A throw-away data folder: the e2e run never touches the developer's keys.
      env: { DPOP_LAB_DATA_DIR: '.data/e2e' },
      timeout: 60_000,
    },
    {
      command: 'npx ng serve --port 4200 --no-hmr',
      url: spa,
      reuseExistingServer: !process.env['CI'],
      timeout: 180_000,
    },
  ],
});
