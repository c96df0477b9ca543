/**
 * `npm run conformance` as a user runs it, against real servers on loopback: the embedded API
 * passes every required check, each refusal for the reason the check is about; a deliberately
 * weak server fails exactly its three faults; no token or no answer exits 2 with a message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CONFORMANCE_CHECKS, type ConformanceReport } from '@dpop-lab/protocol/conformance';

import { freePort } from '../testing/free-port.ts';
import { suiteFixture } from '../testing/suite-fixture.ts';
import { testWorldForSuite } from '../testing/test-world.ts';
import { runCli } from './testing/run-cli.ts';
import { startWeakResourceServer, WEAK_SERVER_PATH } from './testing/weak-resource-server.ts';

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

describe('npm run conformance', () => {
  const world = testWorldForSuite();
  const weak = suiteFixture(() =>
    startWeakResourceServer({ issuer: world.issuer, audience: world.resource }),
  );

  it('passes every required check of the embedded API and prints the table; exit 0', async () => {
    const { code, stdout, stderr } = await runCli('conformance.ts', [], world.env);
    assert.equal(code, 0, stdout + stderr);
    assert.ok(stdout.includes(`DPoP conformance of GET ${world.api}/api/apps`));
    const rows = stdout.split('\n').filter((line) => /^(pass|fail|warn|n\/a) /.test(line));
    assert.equal(rows.length, CONFORMANCE_CHECKS.length, 'one row per check');
    for (const check of CONFORMANCE_CHECKS) {
      assert.ok(stdout.includes(check.title), `a row for ${check.id}`);
    }
    assert.deepEqual(
      rows.filter((row) => !row.startsWith('pass')).map((row) => row.split(/ {2,}/)[1]),
      ['htu with the default port written out', 'Proof with an expired nonce of this server'],
      'only the rows that cannot apply here are not passes',
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
    assert.match(foreign.note ?? '', /token endpoint/);
  });

  it('reports exactly the faults of a weak server (replays, htm case) and exits 1 (--json)', async () => {
    const { code, stdout, stderr } = await runCli(
      'conformance.ts',
      ['--api', `${weak.url}${WEAK_SERVER_PATH}`, '--json'],
      world.env,
    );
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout) as ConformanceReport;
    const ids = (outcome: string) =>
      report.results.filter((r) => r.outcome === outcome).map((r) => r.id);
    assert.deepEqual(ids('fail'), ['lowercase-htm', 'replayed-proof', 'reused-jti', 'replay-race']);
    assert.ok(report.results.every((r) => r.outcome !== 'fail' || r.required));
    assert.equal(report.requiresNonce, false);
    assert.deepEqual(ids('n/a'), [
      'htu-default-port',
      'nonce-missing',
      'nonce-bogus',
      'nonce-foreign',
      'nonce-stale',
    ]);
    const race = report.results.find((r) => r.id === 'replay-race');
    assert.equal(race?.observed, '20 × 200');
    assert.equal(report.passed, false);
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
