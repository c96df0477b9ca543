import { API, expect, nav, readDpopRequest, signIn, test, type SeenDpopRequest } from './fixtures';

const TEN_MINUTES = 10 * 60 * 1000;

test('with the device clock 10 minutes ahead, sign-in and API calls still succeed (iat corrected by Date)', async ({
  context,
  page,
}) => {
  // Every page's clock (Date, Date.now) runs 10 minutes ahead; timers run normally.
  await context.addInitScript({
    content: `(() => {
      const RealDate = Date;
      const skew = ${TEN_MINUTES};
      class AheadDate extends RealDate {
        constructor(...args) { super(...(args.length ? args : [RealDate.now() + skew])); }
        static now() { return RealDate.now() + skew; }
      }
      globalThis.Date = AheadDate;
    })();`,
  });
  const proofs: Promise<SeenDpopRequest>[] = [];
  page.on('request', (request) => {
    if (request.headers()['dpop'] && request.url().startsWith(`${API}/api/`)) {
      proofs.push(readDpopRequest(request));
    }
  });

  await page.goto('/');
  expect(
    await page.evaluate(() => Date.now() - performance.timeOrigin - performance.now()),
  ).toBeGreaterThan(TEN_MINUTES - 5_000);
  await signIn(page);

  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');
  await nav(page, 'Profile').click();
  await expect(page.getByText('alice@example.com')).toBeVisible();
  await nav(page, 'Home').click();
  await nav(page, 'Users').click();
  await expect(page.getByRole('table')).toContainText('Bob Brandt');

  const now = Date.now() / 1000;
  const iats = (await Promise.all(proofs)).map((seen) => Number(seen.claims.iat) - now);
  // The first proof to the API carried the device's clock; once its Date header was read,
  // every later proof carried the server's time.
  expect(iats[0]).toBeGreaterThan(590);
  expect(Math.abs(iats.at(-1)!)).toBeLessThan(5);
});
