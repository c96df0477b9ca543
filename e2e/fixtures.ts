/**
 * Shared steps for the end-to-end specs: they drive the real app in Chromium against the
 * real embedded servers that playwright.config.ts starts.
 */
import { test as base, expect, type Page, type Request } from '@playwright/test';
import { decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWTPayload } from 'jose';

import { e2eWorld } from './world';

/** A Content-Security-Policy violation a page reported. */
export interface CspViolation {
  page: string;
  directive: string;
  blocked: string;
}

/**
 * `test` for every spec (import it from here, not from '@playwright/test'): it fails any test
 * in which a page reported a Content-Security-Policy violation — a `securitypolicyviolation`
 * event or Chromium's "Content Security Policy" console error — so the whole e2e run shows the
 * served app needs nothing its policy forbids.
 */
export const test = base.extend<{ cspViolations: CspViolation[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: CspViolation[] = [];
      await context.exposeBinding(
        'reportCspViolation',
        ({ page }, violation: Omit<CspViolation, 'page'>) =>
          violations.push({ page: page.url(), ...violation }),
      );
      await context.addInitScript(() => {
        document.addEventListener(
          'securitypolicyviolation',
          (event) =>
            void (
              window as unknown as { reportCspViolation(v: Omit<CspViolation, 'page'>): void }
            ).reportCspViolation({
              directive: event.effectiveDirective,
              blocked: `${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
            }),
          true,
        );
      });
      context.on('console', (message) => {
        if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
          violations.push({
            page: message.page()?.url() ?? '',
            directive: 'console',
            blocked: message.text(),
          });
        }
      });
      await use(violations);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

const world = e2eWorld();
export const API = world.api;
export const ISSUER = world.issuer;
export const SPA = world.spa;

/**
 * Signs in from the app's home page through the authorization server's own login page, with the
 * header's Sign in button (or another button named by `via`); `issuer` and `spa` for a world on
 * other ports than the e2e run's.
 */
export async function signIn(
  page: Page,
  {
    user = 'alice',
    via = 'Sign in',
    issuer = ISSUER,
    spa = SPA,
  }: { user?: string; via?: string; issuer?: string; spa?: string } = {},
): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: via }).click();
  await page.waitForURL(`${issuer}/**`);
  await logIn(page, user, `${user}-password`);
  const allow = page.getByRole('button', { name: 'Allow' });
  // Back at the app, or on the consent page first.
  await expect(allow.or(page.getByRole('button', { name: 'Sign out' }))).toBeVisible();
  if (await allow.isVisible()) await allow.click();
  await page.waitForURL(`${spa}/**`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * In the attack lab of a signed-in page: gets the comparison's plain bearer token, approving the
 * bearer client at the authorization server's consent page (it asks once per session), and comes
 * back to the lab.
 */
export async function getBearerToken(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Get a plain bearer token' }).click();
  await page.waitForURL(`${ISSUER}/**`);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${SPA}/attacks`);
  await expect(page.getByText(/This tab has one, valid until/)).toBeVisible();
}

/** The requests the page sends from now on that `match`, collected as they go. */
export function requestsTo(page: Page, match: (request: Request) => boolean): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (match(request)) seen.push(request);
  });
  return seen;
}

/** Fills the authorization server's login page and submits it. */
export async function logIn(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Everything a DPoP-protected request carried, with the proof verified against its own key. */
export interface SeenDpopRequest {
  url: string;
  method: string;
  authorization: string;
  proof: string;
  claims: JWTPayload & { htm?: string; htu?: string; ath?: string; nonce?: string };
  header: ReturnType<typeof decodeProtectedHeader>;
}

export async function readDpopRequest(request: Request): Promise<SeenDpopRequest> {
  const headers = await request.allHeaders();
  const proof = headers['dpop'];
  expect(proof, `${request.method()} ${request.url()} has no DPoP header`).toBeTruthy();
  // The proof must verify with the public key it carries (RFC 9449 §4.3 step 6).
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
  return {
    url: request.url(),
    method: request.method(),
    authorization: headers['authorization'] ?? '',
    proof,
    claims: payload,
    header: protectedHeader,
  };
}

/** Counts what the key database holds, as any script in the page could see it. */
export async function storedKeyCount(page: Page, database = 'dpop-lab'): Promise<number> {
  return page.evaluate(async (database) => {
    const databases = await indexedDB.databases();
    if (!databases.some((d) => d.name === database)) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(database);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    let count = 0;
    for (const name of Array.from(db.objectStoreNames)) {
      count += await new Promise<number>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).count();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    db.close();
    return count;
  }, database);
}

/** The element that has focus, as "TAG text" (for messages), or null when it is <body>. */
export function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    return `${element.tagName} ${element.textContent?.replace(/\s+/g, ' ').trim().slice(0, 60)}`;
  });
}

/** A link in the app's main navigation (the home page links to the same views in prose). */
export function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** The refresh token of the stored session, read as any script in the page could. */
export function storedRefreshToken(): Promise<string> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('dpop-lab.session');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('session').objectStore('session').get('current');
      get.onerror = () => reject(get.error);
      get.onsuccess = () => {
        open.result.close();
        resolve((get.result as { refreshToken: string }).refreshToken);
      };
    };
  });
}
