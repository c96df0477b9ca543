/**
 * The issuer forms of real identity providers, against a real discovery server on loopback: the
 * app reads `<issuer without a trailing "/">/.well-known/openid-configuration` (OpenID Connect
 * Discovery §4) and takes the document only if its `issuer` is the configured one exactly (§4.3).
 * Each case serves the production build with its own config.json and follows Sign in as far as
 * the authorization endpoint.
 */
import { createServer, type Server } from 'node:http';

import { startAppServer, type RunningAppServer } from '../server/app-server/create-app-server.ts';
import { readConfig } from '../server/config.ts';
import { listen, type ListeningServer } from '../server/listen.ts';
import { expect, test } from './fixtures';
import { e2eWorld } from './world';

let discovery: ListeningServer;
/** Discovery documents by the path they are served at; filled in per case. */
const documents = new Map<string, string>();
const requested: string[] = [];

test.beforeAll(async () => {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(path);
    if (path.endsWith('/authorize')) {
      // Where sign-in leaves the app for: the case is proven once the browser gets here.
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('the authorization endpoint');
      return;
    }
    const issuer = documents.get(path);
    if (!issuer) {
      res.writeHead(404).end();
      return;
    }
    const base = issuer.replace(/\/$/, '');
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
    });
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        code_challenge_methods_supported: ['S256'],
        dpop_signing_alg_values_supported: ['ES256'],
      }),
    );
  });
  discovery = await listen(server, 0, 'localhost');
});

test.afterAll(() => discovery.close());

let app: RunningAppServer | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
  documents.clear();
  requested.length = 0;
});

/** Serves the app with `issuer` in its config.json (and the CSP that lets it call there). */
async function serveAppFor(issuer: string): Promise<string> {
  const root = `${e2eWorld().dist}/browser`;
  app = await startAppServer({ config: { ...readConfig({}), issuer }, root, port: 0 });
  return app.url;
}

const PROVIDERS = [
  ['Auth0 (a trailing slash)', '/'],
  ['Okta (a custom authorization server)', '/oauth2/default'],
  ['Keycloak (a realm)', '/realms/dpop-lab'],
  ['WSO2 Identity Server (the token endpoint as issuer)', '/oauth2/token'],
] as const;

for (const [provider, path] of PROVIDERS) {
  test(`${provider}: discovery at the issuer's path, and sign-in starts`, async ({ page }) => {
    const issuer = `${discovery.url}${path}`;
    const base = issuer.replace(/\/$/, '');
    const discoveryPath = new URL(`${base}/.well-known/openid-configuration`).pathname;
    documents.set(discoveryPath, issuer);

    await page.goto(await serveAppFor(issuer));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/authorize?**`);
    // (The browser may also ask this origin for a favicon once it shows the authorize page.)
    expect(requested.filter((p) => p.endsWith('/openid-configuration'))).toEqual([discoveryPath]);
    expect(new URL(page.url()).searchParams.get('client_id')).toBe('dpop-lab-spa');
  });
}

test('an issuer that differs from the document only in its trailing slash is refused, showing both', async ({
  page,
}) => {
  const configured = discovery.url; // no slash
  documents.set('/.well-known/openid-configuration', `${configured}/`);

  await page.goto(await serveAppFor(configured));
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`names the issuer "${configured}/"`);
  await expect(alert).toContainText(`config.json says "${configured}"`);
  await expect(alert).toContainText('They differ only in the trailing "/"');
  expect(page.url().startsWith(app!.url)).toBe(true);
});
