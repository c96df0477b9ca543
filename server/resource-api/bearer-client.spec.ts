/**
 * Check 13 with the walkthrough's bearer client: the Bearer scheme works only for an unbound
 * token issued to `dpop-lab-bearer`, and such a token is still fully verified (signature, iss,
 * aud, exp, scope). Everything else sent as Bearer is refused, a DPoP-bound token above all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BEARER_CLIENT_ID, SPA_CLIENT_ID } from '../config.ts';
import { refuseBearerToken } from './checks/refuse-bearer-token.ts';
import { ResourceAccessError } from './errors.ts';
import { startHarness, type Harness } from './testing/api-harness.ts';
import { rawJws } from './testing/proof-builder.ts';

const unsigned = (payload: unknown) => rawJws({ alg: 'ES256' }, payload, 'c2ln');

function refusal(run: () => unknown): ResourceAccessError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ResourceAccessError);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('check 13: refuseBearerToken and the bearer client', () => {
  test('lets through an unbound token of the bearer client (client_id, or azp)', () => {
    assert.doesNotThrow(() => refuseBearerToken(unsigned({ client_id: BEARER_CLIENT_ID })));
    assert.doesNotThrow(() => refuseBearerToken(unsigned({ azp: BEARER_CLIENT_ID })));
  });

  test('refuses a DPoP-bound token of the bearer client: never a downgrade', () => {
    const refused = refusal(() =>
      refuseBearerToken(unsigned({ client_id: BEARER_CLIENT_ID, cnf: { jkt: 'x' } })),
    );
    assert.equal(refused.error, 'invalid_token');
    assert.match(refused.description, /DPoP-bound/);
  });

  test('refuses an unbound token of any other client, or of none', () => {
    for (const payload of [{ client_id: SPA_CLIENT_ID }, { azp: 'someone' }, { sub: 'alice' }]) {
      const refused = refusal(() => refuseBearerToken(unsigned(payload)));
      assert.equal(refused.status, 401);
      assert.equal(refused.error, 'invalid_token');
      assert.match(refused.description, new RegExp(BEARER_CLIENT_ID));
    }
  });
});

describe('the Bearer path of the API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const bearer = async (changes: Parameters<Harness['token']>[0] = {}) => ({
    authorization: `Bearer ${await h.token({ jkt: null, clientId: BEARER_CLIENT_ID, ...changes })}`,
  });

  test('an unbound token of the bearer client, sent as Bearer without a proof: 200', async () => {
    const response = await h.send({ headers: await bearer() });
    assert.equal(response.status, 200, response.text);
  });

  test('the same token twice: 200 twice (a bearer token can be replayed — that is the point)', async () => {
    const headers = await bearer();
    assert.equal((await h.send({ headers })).status, 200);
    assert.equal((await h.send({ headers })).status, 200);
  });

  test('it is still verified: a forged, expired or foreign-audience token is invalid_token', async () => {
    for (const changes of [
      { forged: true },
      { expiresIn: -60 },
      { audience: 'http://elsewhere.test/api' },
    ]) {
      const response = await h.send({ headers: await bearer(changes) });
      assert.equal(response.status, 401, JSON.stringify(changes));
      assert.equal(response.challenge?.params['error'], 'invalid_token');
    }
  });

  test('and its scope is checked: 403 insufficient_scope', async () => {
    const response = await h.send({ headers: await bearer({ scope: 'apps:read' }) });
    assert.equal(response.status, 403);
    assert.equal(response.challenge?.params['error'], 'insufficient_scope');
  });

  test('an unbound token of the SPA client sent as Bearer is refused', async () => {
    const response = await h.send({ headers: await bearer({ clientId: SPA_CLIENT_ID }) });
    assert.equal(response.status, 401);
    assert.equal(response.challenge?.params['error'], 'invalid_token');
  });
});
