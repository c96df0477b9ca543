/**
 * The sample apps (projects/samples/): angular-oauth2-oidc and angular-auth-oidc-client signing
 * in with DPoP through @dpop-lab/angular, driven in Chromium against the real authorization server
 * and API. What each sample sent is read from the browser's side (`page.on('request')`).
 */
import { athOf } from '@dpop-lab/protocol';
import type { Page, Request, Response, Route } from '@playwright/test';
import { base64url, calculateJwkThumbprint, decodeJwt, type JWK } from 'jose';

import { SAMPLE_NAMES, SAMPLES } from '../server/config.ts';
import { API, expect, ISSUER, logIn, readDpopRequest, storedKeyCount, test } from './fixtures';
import { e2eWorld } from './world';

const TOKEN_ENDPOINT = `${ISSUER}/token`;
const USERS = `${API}/api/users`;

/** What a sample sent to the authorization server and the API, in order. */
interface Wire {
  authorizations: URL[];
  tokenAnswers: Response[];
  apiCalls: Request[];
}

function watch(page: Page): Wire {
  const wire: Wire = { authorizations: [], tokenAnswers: [], apiCalls: [] };
  page.on('request', (request) => {
    if (request.url().startsWith(`${ISSUER}/auth?`))
      wire.authorizations.push(new URL(request.url()));
    if (request.url() === USERS && request.method() === 'GET') wire.apiCalls.push(request);
  });
  page.on('response', (response) => {
    if (response.url() === TOKEN_ENDPOINT) wire.tokenAnswers.push(response);
  });
  return wire;
}

/** From the sample's Sign in button through the authorization server's login page, back. */
async function signInAsAlice(page: Page, origin: string): Promise<void> {
  await page.goto(origin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  await logIn(page, 'alice', 'alice-password');
  await page.waitForURL(`${origin}/**`);
}

/** Signs in, watching the wire from the start; resolves once the page shows alice. */
async function aliceSignedIn(page: Page, origin: string): Promise<Wire> {
  const wire = watch(page);
  await signInAsAlice(page, origin);
  await expect(page.getByText('Signed in as Alice Anders')).toBeVisible();
  return wire;
}

async function loadUsers(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load users' }).click();
  await expect(page.getByRole('status').or(page.getByRole('alert'))).toBeVisible();
}

/** The thumbprint (RFC 7638) of the key that signed a request's DPoP proof. */
async function proofKeyOf(request: Request): Promise<string> {
  return calculateJwkThumbprint((await readDpopRequest(request)).header.jwk as JWK);
}

/** The token response of a grant, read from the answer the browser got. */
async function tokensOf(answer: Response) {
  return (await answer.json()) as {
    access_token: string;
    token_type: string;
    refresh_token?: string;
  };
}

function grantOf(answer: Response): string | null {
  return new URLSearchParams(answer.request().postData() ?? '').get('grant_type');
}

/**
 * Passes the token endpoint's successful answers to `change` before the page sees them (the
 * nonce challenge goes through as it came); resolves each changed body's access token.
 */
async function changeTokenAnswers(
  page: Page,
  change: (body: Record<string, unknown>, grant: string | null) => Record<string, unknown>,
): Promise<string[]> {
  const changed: string[] = [];
  await page.route(TOKEN_ENDPOINT, async (route: Route) => {
    const response = await route.fetch();
    if (response.status() !== 200) return route.fulfill({ response });
    const grant = new URLSearchParams(route.request().postData() ?? '').get('grant_type');
    const body = change((await response.json()) as Record<string, unknown>, grant);
    changed.push(String(body['access_token']));
    return route.fulfill({ response, json: body });
  });
  return changed;
}

/** The same JWT with another key's thumbprint in `cnf.jkt` (its signature no longer verifies). */
function boundToAnotherKey(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as object;
  const other = { ...claims, cnf: { jkt: base64url.encode(new Uint8Array(32).fill(7)) } };
  return [header, base64url.encode(JSON.stringify(other)), signature].join('.');
}

for (const name of SAMPLE_NAMES) {
  const origin = e2eWorld().samples[name].origin;
  const clientId = SAMPLES[name].clientId;

  test.describe(`sample ${name}`, () => {
    test('alice signs in with dpop_jkt and the token endpoint’s nonce handshake, sees the users through Authorization: DPoP, and a refresh stays bound', async ({
      page,
    }) => {
      const wire = await aliceSignedIn(page, origin);

      // RFC 9449 §10: the authorization request names the key; §8: the first proof at the token
      // endpoint is refused for its missing nonce, the second carries the server's nonce.
      const [authorization] = wire.authorizations;
      expect(authorization.searchParams.get('client_id')).toBe(clientId);
      const jkt = authorization.searchParams.get('dpop_jkt');
      expect(jkt).toMatch(/^[\w-]{43}$/);
      const [challenge, exchange] = wire.tokenAnswers;
      expect(challenge.status()).toBe(400);
      expect((await challenge.json()).error).toBe('use_dpop_nonce');
      expect(exchange.status()).toBe(200);
      expect(grantOf(exchange)).toBe('authorization_code');
      const exchangeProof = await readDpopRequest(exchange.request());
      expect(exchangeProof.claims.nonce).toBe(await challenge.headerValue('dpop-nonce'));
      expect(exchangeProof.claims.htu).toBe(TOKEN_ENDPOINT);
      expect(exchangeProof.authorization).toBe('');
      expect(await proofKeyOf(exchange.request())).toBe(jkt);
      const first = await tokensOf(exchange);
      expect(first.token_type).toBe('DPoP');
      expect(decodeJwt(first.access_token)['cnf']).toEqual({ jkt });

      await loadUsers(page);
      await expect(page.getByRole('table')).toContainText('Bob Brandt');
      const call = await readDpopRequest(wire.apiCalls.at(-1)!);
      expect(call.authorization).toBe(`DPoP ${first.access_token}`);
      expect(call.claims.htm).toBe('GET');
      expect(call.claims.htu).toBe(USERS);
      expect(call.claims.ath).toBe(await athOf(first.access_token));
      expect(call.claims.nonce).toBeTruthy();
      expect(await proofKeyOf(wire.apiCalls.at(-1)!)).toBe(jkt);

      // The refresh token grant with a proof of the same key; the new tokens are bound to it.
      await page.getByRole('button', { name: 'Refresh tokens' }).click();
      await expect(page.getByRole('status')).toHaveText('Tokens refreshed.');
      const refresh = wire.tokenAnswers.at(-1)!;
      expect(grantOf(refresh)).toBe('refresh_token');
      expect(refresh.status()).toBe(200);
      expect(await proofKeyOf(refresh.request())).toBe(jkt);
      const second = await tokensOf(refresh);
      expect(second.token_type).toBe('DPoP');
      expect(second.access_token).not.toBe(first.access_token);
      expect(decodeJwt(second.access_token)['cnf']).toEqual({ jkt });

      await loadUsers(page);
      await expect(page.getByRole('status')).toHaveText('Users loaded.');
      const later = await readDpopRequest(wire.apiCalls.at(-1)!);
      expect(later.authorization).toBe(`DPoP ${second.access_token}`);
      expect(await proofKeyOf(wire.apiCalls.at(-1)!)).toBe(jkt);
    });

    test('sign out revokes the refresh token with a proof of its key, deletes the key and ends the session', async ({
      page,
    }) => {
      await aliceSignedIn(page, origin);
      // @dpop-lab/angular's default key database.
      expect(await storedKeyCount(page, 'dpop-keys')).toBe(1);

      const revoked = page.waitForResponse(
        (response) => response.url() === `${ISSUER}/token/revocation` && response.status() === 200,
      );
      await page.getByRole('button', { name: 'Sign out' }).click();
      const revocation = (await revoked).request();
      const form = new URLSearchParams(revocation.postData() ?? '');
      expect(form.get('token_type_hint')).toBe('refresh_token');
      expect(form.get('client_id')).toBe(clientId);
      expect((await readDpopRequest(revocation)).claims.htu).toBe(`${ISSUER}/token/revocation`);

      // The authorization server asks to confirm (RP-initiated logout), then sends us back.
      await page.waitForURL(`${ISSUER}/**`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${origin}/`);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      expect(await storedKeyCount(page, 'dpop-keys')).toBe(0);
    });

    test('a code exchange answered with token_type Bearer is refused, and its token never reaches the API', async ({
      page,
    }) => {
      const wire = watch(page);
      const downgraded = await changeTokenAnswers(page, (body) => ({
        ...body,
        token_type: 'Bearer',
      }));
      await signInAsAlice(page, origin);

      await expect(page.getByRole('alert')).toContainText('Bearer tokens instead of DPoP-bound');
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      expect(downgraded).toHaveLength(1);

      // Signed out, the API call goes without a token and is refused.
      await loadUsers(page);
      await expect(page.getByRole('alert')).toContainText('answered 401');
      const headers = await Promise.all(wire.apiCalls.map((call) => call.allHeaders()));
      expect(headers.length).toBeGreaterThan(0);
      for (const header of headers) expect(header['authorization']).toBeUndefined();
    });

    test('a refresh whose access token is bound to another key is refused, and that token never reaches the API', async ({
      page,
    }) => {
      const wire = await aliceSignedIn(page, origin);

      const forged = await changeTokenAnswers(page, (body, grant) =>
        grant === 'refresh_token'
          ? { ...body, access_token: boundToAnotherKey(String(body['access_token'])) }
          : body,
      );
      await page.getByRole('button', { name: 'Refresh tokens' }).click();
      await expect(page.getByRole('alert')).toContainText('bound to another key');
      expect(forged).toHaveLength(1);

      await loadUsers(page);
      const authorizations = await Promise.all(
        wire.apiCalls.map(async (call) => (await call.allHeaders())['authorization']),
      );
      expect(authorizations.length).toBeGreaterThan(0);
      expect(authorizations).not.toContain(`DPoP ${forged[0]}`);
    });
  });
}

test('sample oauth2-oidc: an expired access token is refreshed once, with a proof, before the API call', async ({
  page,
}) => {
  const origin = e2eWorld().samples['oauth2-oidc'].origin;
  const wire = await aliceSignedIn(page, origin);
  const signedIn = wire.tokenAnswers.length;

  // angular-oauth2-oidc keeps the expiry in sessionStorage; the token source reads it.
  await page.evaluate(() => sessionStorage.setItem('expires_at', '1'));
  await loadUsers(page);
  await expect(page.getByRole('table')).toContainText('Bob Brandt');

  const refreshes = wire.tokenAnswers.slice(signedIn);
  expect(refreshes.map(grantOf)).toEqual(['refresh_token']);
  const refreshed = await tokensOf(refreshes[0]);
  const call = await readDpopRequest(wire.apiCalls.at(-1)!);
  expect(call.authorization).toBe(`DPoP ${refreshed.access_token}`);
  expect(await proofKeyOf(wire.apiCalls.at(-1)!)).toBe(await proofKeyOf(refreshes[0].request()));
});
