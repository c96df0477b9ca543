/**
 * `npm run service` against the real authorization server and API on loopback: client
 * credentials + DPoP with both nonce handshakes, then `GET /api/apps`; every step reported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProofKey } from '@dpop-lab/protocol';

import { SERVICE_CLIENT } from '../config.ts';
import { testWorldForSuite } from '../testing/test-world.ts';
import { runService, type ServiceOptions } from './service-client.ts';
import { runCli } from './testing/run-cli.ts';

describe('npm run service (client credentials + DPoP)', () => {
  const world = testWorldForSuite();
  const service = (options: Partial<ServiceOptions> & Pick<ServiceOptions, 'key'>) =>
    runService({ issuer: world.issuer, api: world.api, resource: world.resource, ...options });

  it('gets a DPoP-bound token after the token endpoint nonce, then the apps after the API nonce', async () => {
    const key = await createProofKey();
    const seen: string[] = [];
    const result = await service({ key, onStep: (step) => seen.push(step.title) });
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.steps.map(
        (s) => `${s.request.method} ${new URL(s.request.url).pathname} ${s.response.status}`,
      ),
      [
        'GET /.well-known/openid-configuration 200',
        'POST /token 400',
        'POST /token 200',
        'GET /api/apps 401',
        'GET /api/apps 200',
      ],
    );
    assert.equal(seen.length, 5, 'each step is reported as it happens');
    const [, challenged, issued, apiChallenge, apps] = result.steps;
    assert.deepEqual(challenged!.response.body, {
      error: 'use_dpop_nonce',
      error_description: 'nonce is required in the DPoP proof',
    });
    assert.equal(
      (issued!.proof!.claims as { nonce?: string }).nonce,
      challenged!.response.headers['dpop-nonce'],
      'the retry carries the nonce the server gave',
    );
    assert.match(apiChallenge!.response.headers['www-authenticate'] ?? '', /use_dpop_nonce/);
    assert.equal(
      (apps!.proof!.claims as { nonce?: string }).nonce,
      apiChallenge!.response.headers['dpop-nonce'],
    );
    assert.deepEqual(result.accessTokenClaims?.['cnf'], { jkt: key.thumbprint });
    assert.equal(result.accessTokenClaims?.['client_id'], SERVICE_CLIENT.id);
    assert.ok(Array.isArray(result.apps) && result.apps.length > 0);
  });

  it('stops with ok false at a refused token request (wrong secret) and shows the answer', async () => {
    const result = await service({ key: await createProofKey(), clientSecret: 'wrong' });
    assert.equal(result.ok, false);
    const last = result.steps.at(-1)!;
    assert.equal(last.response.status, 401);
    assert.equal((last.response.body as { error: string }).error, 'invalid_client');
  });

  it('the command prints each request, response and decoded proof, and exits 0', async () => {
    const { code, stdout, stderr } = await runCli('service.ts', [], world.env);
    assert.equal(code, 0, stdout + stderr);
    for (const expected of [
      `→ POST ${world.issuer}/token`,
      '← 400',
      '"error": "use_dpop_nonce"',
      'DPoP proof (decoded, not verified)',
      `→ GET ${world.api}/api/apps`,
      'error="use_dpop_nonce"',
      '← 200',
      "cnf.jkt equals this run's key thumbprint",
      'Done: GET /api/apps answered 200',
    ]) {
      assert.ok(stdout.includes(expected), `prints ${expected}`);
    }
  });
});
