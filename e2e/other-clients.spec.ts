/**
 * oidc-client-ts 3.5 in Chromium against the embedded servers, as docs/other-clients.md tells a
 * team to set it up. Its page (other-clients/oidc-client-ts-page.ts) is bundled here with esbuild,
 * in memory, and served at the SPA's origin with page.route, where the SPA client's redirect URI
 * and the servers' CORS admit it. It signs in as the SPA client, with DPoP and `dpop_jkt`.
 *
 * - With `resource` on the token request too (`extraTokenParams`): the nonce handshake at the
 *   token endpoint and at the API, and the API serves it.
 * - With only `settings.resource`: the code exchange goes without `resource` (RFC 8707 allows
 *   that), the token is for userinfo, and the API's answer tells it to send `resource`.
 */
import type { Page } from '@playwright/test';
import { build } from 'esbuild';

import chromiumArgs from '../chromium-args.json' with { type: 'json' };
import { SPA_CLIENT_ID } from '../server/config';
import { API, expect, ISSUER, logIn, SPA, test } from './fixtures';
import type { PageConfig, PageResults } from './other-clients/oidc-client-ts-page';

const PAGE = `${SPA}/other-clients/oidc-client-ts`;
const CONFIG: PageConfig = {
  issuer: ISSUER,
  clientId: SPA_CLIENT_ID,
  redirectUri: `${SPA}/login/callback`,
  url: `${API}/api/users`,
  resource: `${API}/api`,
};

async function bundlePage(): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: [new URL('./other-clients/oidc-client-ts-page.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  return outputFiles[0]!.text;
}

const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>oidc-client-ts 3.5 with DPoP</title></head>
<body>
<main>
<h1>oidc-client-ts 3.5 with DPoP</h1>
<button id="settings-only">Sign in, resource in the settings only</button>
<button id="token-request">Sign in, resource on the token request too</button>
<output></output>
<script type="application/json" id="config">${JSON.stringify(CONFIG)}</script>
<script type="module" src="${PAGE}.js"></script>
</main>
</body>
</html>`;

// A page that page.route serves has no address in Chromium's eyes, so its calls to the servers
// on loopback would be blocked as a public page reaching into the local network (Local Network
// Access). A page the SPA's own server serves is not affected.
test.use({
  launchOptions: {
    executablePath: process.env['CHROME_BIN'] || '/usr/bin/chromium',
    args: [...chromiumArgs, '--disable-features=LocalNetworkAccessChecks'],
  },
});

let script: string;
test.beforeAll(async () => {
  script = await bundlePage();
});

/**
 * Opens the page, signs alice in with the button named `via`, and returns what the page reported
 * and each request to the servers as `POST /token 400`, with the code exchange's form.
 */
async function signInWith(page: Page, via: string) {
  await page.route(`${PAGE}.js`, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: script }),
  );
  // The page itself, and the SPA client's redirect URI, which it handles too.
  await page.route(
    (url) => url.href === PAGE || url.href.startsWith(`${CONFIG.redirectUri}?`),
    (route) => route.fulfill({ contentType: 'text/html', body: html }),
  );
  const exchanges: string[] = [];
  const forms: string[] = [];
  page.on('response', (response) => {
    const request = response.request();
    const { origin, pathname } = new URL(request.url());
    if (origin !== ISSUER && origin !== API) return;
    if (request.method() === 'OPTIONS') return;
    exchanges.push(`${request.method()} ${pathname} ${response.status()}`);
    const form = request.postData();
    if (pathname === '/token' && form?.includes('grant_type=authorization_code')) forms.push(form);
  });

  await page.goto(PAGE);
  await page.getByRole('button', { name: via }).click();
  await page.waitForURL(`${ISSUER}/**`);
  const callback = page.waitForRequest((request) =>
    request.url().startsWith(`${CONFIG.redirectUri}?`),
  );
  await logIn(page, 'alice', 'alice-password');
  // page.route does not see a request a redirect makes: the authorization server's redirect
  // reaches the SPA's own server, whose app ignores a code it did not ask for. Opened again,
  // the same URL is this page's.
  await page.goto((await callback).url());
  const output = page.locator('output');
  await expect(output).not.toBeEmpty();
  const results = JSON.parse((await output.textContent()) ?? '') as PageResults;
  expect(results.failure).toBeUndefined();
  return { results, exchanges, codeExchange: new URLSearchParams(forms[0]) };
}

/** `exchange` happens, and right before it `before`: a challenge and its answer. */
function expectHandshake(exchanges: readonly string[], before: string, after: string) {
  const at = exchanges.indexOf(after);
  expect(at, `${after} in ${exchanges.join(', ')}`).toBeGreaterThan(0);
  expect(exchanges.slice(0, at)).toContain(before);
}

/** What the API says when a token was not issued for it: send `resource=<its audience>`. */
const TOLD = {
  status: 401,
  error: 'invalid_token',
  description: expect.stringContaining(`must carry resource=${CONFIG.resource}`),
};

test('oidc-client-ts with resource on the token request: the nonce handshake at the token endpoint and the API, and the API serves it', async ({
  page,
}) => {
  const { results, exchanges, codeExchange } = await signInWith(
    page,
    'Sign in, resource on the token request too',
  );
  expect(codeExchange.get('resource')).toBe(CONFIG.resource);
  expect(codeExchange.get('code_verifier')).toBeTruthy();
  expectHandshake(exchanges, 'POST /token 400', 'POST /token 200');
  expectHandshake(exchanges, 'GET /api/users 401', 'GET /api/users 200');
  expect(results.signedIn).toEqual({ status: 200 });
  // Renewals through the refresh token keep serving: oidc-client-ts asks for the scope of the
  // token it holds (the API's), which the authorization server gives for the API.
  expect(results.renewedWithResource).toEqual({ status: 200 });
  expect(results.renewedWithout).toEqual({ status: 200 });
});

test('oidc-client-ts with only settings.resource: the code exchange goes without it, and the API tells it to send resource', async ({
  page,
}) => {
  const { results, exchanges, codeExchange } = await signInWith(
    page,
    'Sign in, resource in the settings only',
  );
  expect(codeExchange.get('resource')).toBeNull();
  expectHandshake(exchanges, 'POST /token 400', 'POST /token 200');
  expect(results.signedIn).toEqual(TOLD);
  // A renewal with `resource` cannot mend it: oidc-client-ts renews with the scope of the token
  // it holds (userinfo's, openid profile), so the API's token has none of the API's scopes.
  expect(results.renewedWithResource).toMatchObject({ status: 403, error: 'insufficient_scope' });
});
