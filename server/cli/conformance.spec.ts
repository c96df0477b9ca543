/**
 * `npm run conformance` as a user runs it, against real servers on loopback: the embedded API
 * passes every check, each refusal for the reason the check is about; auth0's
 * express-oauth2-jwt-bearer fails its replays and only warns on `htm: "get"`; no token or no
 * answer exits 2 with a message. `--sign-in` (sign-in.spec.ts next to this file) has its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CONFORMANCE_CHECKS, type ConformanceReport } from '@dpop-lab/protocol/conformance';

import { SERVICE_CLIENT } from '../config.ts';
import { freePort } from '../testing/free-port.ts';
import { suiteFixture } from '../testing/suite-fixture.ts';
import { testWorldForSuite } from '../testing/test-world.ts';
import { AUTH0_API_PATH, startAuth0ResourceServer } from './testing/auth0-resource-server.ts';
import { runCli } from './testing/run-cli.ts';

/** What the embedded API's refusal must be about, by check: its error_description names it. */
const REASONS: Record<string, RegExp> = {
  'no-typ': /typ/,
  'no-alg': /alg/,
  'no-jwk': /jwk/,
  'no-jti': /jti/,
  'no-htm': /htm/,
  'no-htu': /htu/,
  'no-iat': /iat/,
  'no-ath': /ath/,
  'bad-typ': /typ/,
  'alg-none': /none/,
  'alg-hs256': /HS256/,
  'bad-signature': /signature/,
  'private-jwk': /private|public/,
  'wrong-htm': /htm/,
  'lowercase-htm': /htm/,
  'wrong-htu': /htu/,
  'iat-hour-past': /iat/,
  'iat-hour-future': /iat/,
  'wrong-ath': /ath/,
  'other-key': /key|jkt/,
  'replayed-proof': /already used/,
  'reused-jti': /already used/,
};

const resultRows = (stdout: string) =>
  stdout.split('\n').filter((line) => /^(pass|fail|warn|n\/a) /.test(line));

describe('npm run conformance', () => {
  const world = testWorldForSuite();
  const auth0 = suiteFixture(() =>
    startAuth0ResourceServer({
      issuer: world.issuer,
      audience: world.resource,
      scope: SERVICE_CLIENT.scope,
    }),
  );

  it('passes every check of the embedded API and prints the table with each rule and its level; exit 0', async () => {
    const { code, stdout, stderr } = await runCli('conformance.ts', [], world.env);
    assert.equal(code, 0, stdout + stderr);
    assert.ok(stdout.includes(`DPoP conformance of GET ${world.api}/api/apps`));
    const rows = resultRows(stdout);
    assert.equal(rows.length, CONFORMANCE_CHECKS.length, 'one row per check');
    for (const check of CONFORMANCE_CHECKS) {
      assert.ok(stdout.includes(check.title), `a row for ${check.id}`);
    }
    assert.deepEqual(
      rows.filter((row) => !row.startsWith('pass')).map((row) => row.split(/ {2,}/)[1]),
      ['htu with the default port written out', 'Proof with an expired nonce of this server'],
      'only the rows that cannot apply here are not passes',
    );
    assert.match(
      rows.find((row) => row.includes('New proof reusing an accepted jti')) ?? '',
      /^pass +New proof reusing an accepted jti +MAY +RFC 9449 §11\.1 /,
    );
    assert.match(stdout, /Every required check passes\.\n$/);
  });

  it('refuses each faulty request of the embedded API for the fault the check is about (--json)', async () => {
    const { code, stdout } = await runCli('conformance.ts', ['--json'], world.env);
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as ConformanceReport;
    assert.equal(report.requiresNonce, true);
    for (const [id, reason] of Object.entries(REASONS)) {
      const result = report.results.find((r) => r.id === id);
      assert.equal(result?.outcome, 'pass', id);
      assert.match(result.description ?? '', reason, `${id}: ${result.description}`);
    }
    const foreign = report.results.find((r) => r.id === 'nonce-foreign');
    assert.equal(foreign?.outcome, 'pass', "the authorization server's nonce is refused");
    assert.equal(foreign.note, `the nonce of ${world.issuer}/token`, 'another origin than the API');
  });

  it("auth0's express-oauth2-jwt-bearer: its replays fail, labelled as such; htm in lower case only warns; exit 1", async () => {
    const api = `${auth0.url}${AUTH0_API_PATH}`;
    const { code, stdout, stderr } = await runCli('conformance.ts', ['--api', api], world.env);
    assert.equal(code, 1, stderr);
    const rows = resultRows(stdout);
    const labelled = (label: string) =>
      rows.filter((row) => row.startsWith(`${label} `)).map((row) => row.split(/ {2,}/)[1]);
    assert.deepEqual(labelled('fail'), [
      'An accepted proof sent again',
      'New proof reusing an accepted jti',
      'One proof sent 20 times at once',
    ]);
    assert.deepEqual(labelled('warn'), ['Proof with htm in lower case']);
    assert.match(stdout, /↳ accepted it — Replay: a captured request can be sent again/);
    assert.match(stdout, /↳ accepted it — No security impact: only the holder of the key/);
    assert.match(
      stdout,
      /3 required checks fail: An accepted proof sent again; New proof reusing an accepted jti; One proof sent 20 times at once\. Warnings, no security impact \(--strict fails them\): Proof with htm in lower case\.\n$/,
    );
  });

  it('auth0 with --strict --json: the htm case fails too, and each result says why it counts', async () => {
    const api = `${auth0.url}${AUTH0_API_PATH}`;
    const { code, stdout } = await runCli(
      'conformance.ts',
      ['--api', api, '--strict', '--json'],
      world.env,
    );
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as ConformanceReport;
    assert.equal(report.strict, true);
    assert.equal(report.requiresNonce, false);
    const failed = report.results.filter((r) => r.outcome === 'fail');
    assert.deepEqual(
      failed.map((r) => [r.id, r.level, r.impact, r.required]),
      [
        ['lowercase-htm', 'MUST', 'harmless', true],
        ['replayed-proof', 'MAY', 'exploitable', true],
        ['reused-jti', 'MAY', 'exploitable', true],
        ['replay-race', 'MAY', 'exploitable', true],
      ],
    );
    assert.equal(failed.at(-1)?.observed, '20 × 200');
    assert.deepEqual(
      report.results.filter((r) => r.outcome === 'n/a').map((r) => r.id),
      ['htu-default-port', 'nonce-missing', 'nonce-bogus', 'nonce-foreign', 'nonce-stale'],
    );
  });

  it('the service client at /api/users stops at 403 (it may only get apps:read) and says to sign in instead; exit 1', async () => {
    const { code, stdout, stderr } = await runCli(
      'conformance.ts',
      ['--api', `${world.api}/api/users`],
      world.env,
    );
    assert.equal(code, 1);
    assert.match(stdout, /^fail +A correct request .* 403 insufficient_scope$/m);
    assert.match(stdout, /The run proves nothing/);
    assert.match(stderr, /run again with --sign-in/);
  });

  it('exits 2 saying why when there is no token, or no answer from the API', async () => {
    const noToken = await runCli('conformance.ts', ['--client-secret', 'wrong'], world.env);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /Could not get a token: .*refused client dpop-lab-service.*401/);
    assert.match(noToken.stderr, /check --client-id, --client-secret/);

    const closed = `http://127.0.0.1:${await freePort()}/api/apps`;
    const noAnswer = await runCli('conformance.ts', ['--api', closed], world.env);
    assert.equal(noAnswer.code, 2);
    assert.match(noAnswer.stderr, /Could not reach the API: GET .* got no answer \(ECONNREFUSED\)/);
  });
});
