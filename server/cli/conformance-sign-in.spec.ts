/**
 * `npm run conformance -- --sign-in` as a user runs it: the command prints the URL to open, alice
 * signs in there (the test follows the URL with the sign-in helpers and a cookie jar, as her
 * browser would), the browser lands on the command's loopback page, and the checks run with her
 * token and the run's key — against oidc-provider's own userinfo endpoint, which refuses a
 * client's token, and against the embedded API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ConformanceReport } from '@dpop-lab/protocol/conformance';

import { signInAt } from '../testing/sign-in.ts';
import { testWorldForSuite } from '../testing/test-world.ts';
import { runCli, startCli } from './testing/run-cli.ts';

/** The printed URL, signed in at as alice; returns the loopback page the browser lands on. */
async function signInAsAlice(url: string): Promise<Response> {
  const back = await signInAt(url);
  assert.match(back, /^http:\/\/127\.0\.0\.1:\d+\/callback\?/, 'a loopback redirect (RFC 8252)');
  return fetch(back);
}

describe('npm run conformance -- --sign-in', () => {
  const world = testWorldForSuite();

  it("checks oidc-provider's userinfo endpoint with alice's token: no failure; the page says the tab can be closed", async () => {
    const cli = startCli(
      'conformance.ts',
      [
        ...['--api', `${world.issuer}/me`, '--issuer', world.issuer],
        ...['--sign-in', '--no-open', '--scope', 'openid profile'],
      ],
      world.env,
    );
    const url = await cli.line(/^http/);
    assert.equal(new URL(url).origin, world.issuer, 'a line of its own, on stdout');
    const params = new URL(url).searchParams;
    assert.equal(params.get('client_id'), 'dpop-lab-cli');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.ok(params.get('dpop_jkt'), 'the code is bound to the run key (RFC 9449 §10)');

    const page = await signInAsAlice(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /The command line has the code/);
    assert.match(html, /You can close this tab/);
    assert.doesNotMatch(html, /<script|<link|<img|src=|href=/, 'no script, no external resources');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);

    const { code, stdout, stderr } = await cli.done;
    assert.equal(code, 0, stdout + stderr);
    assert.ok(stdout.includes(`DPoP conformance of GET ${world.issuer}/me`));
    assert.match(stdout, /Token: a user's sign-in with dpop-lab-cli/);
    const rows = stdout.split('\n').filter((line) => /^(pass|fail|warn|n\/a) /.test(line));
    assert.deepEqual(
      rows.filter((row) => row.startsWith('fail')),
      [],
      'no failure at the userinfo endpoint',
    );
    assert.match(
      stdout,
      /^n\/a +Proof with another server's nonce .*\n +↳ the only other nonce at hand came from .*\/token, on this server's own origin/m,
    );
    assert.match(stdout, /Every required check passes\./);
    assert.match(stderr, /Waiting up to 300 s for the browser/, 'progress on stderr');
  });

  it('with --json the report is the only thing on stdout; the URL goes to stderr (the embedded API, its defaults)', async () => {
    const cli = startCli(
      'conformance.ts',
      ['--sign-in', '--no-open', '--api', `${world.api}/api/users`, '--json'],
      world.env,
    );
    const url = await cli.line(/^http/, 'stderr');
    assert.equal((await signInAsAlice(url)).status, 200);
    const { code, stdout } = await cli.done;
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as ConformanceReport;
    assert.equal(
      report.url,
      `${world.api}/api/users`,
      'users:read, which the service client lacks',
    );
    assert.ok(report.results.every((r) => r.outcome !== 'fail'));
    assert.equal(report.results.find((r) => r.id === 'nonce-foreign')?.outcome, 'pass');
  });

  it('stops after the time given, saying what to do; exit 2', async () => {
    const { code, stderr } = await runCli(
      'conformance.ts',
      ['--sign-in', '--no-open', '--sign-in-timeout', '1'],
      world.env,
    );
    assert.equal(code, 2);
    assert.match(
      stderr,
      /Could not get a token: No sign-in came back to http:\/\/127\.0\.0\.1:\d+\/callback within 1 s: open the URL above/,
    );
  });

  it('refuses options that do not go with the grant; exit 2', async () => {
    const secret = await runCli('conformance.ts', ['--sign-in', '--client-secret', 'x'], world.env);
    assert.equal(secret.code, 2);
    assert.match(secret.stderr, /--client-secret is for client credentials/);
  });
});
