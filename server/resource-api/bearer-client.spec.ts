/**
 * The API's Bearer path with the walkthrough's bearer client: the Bearer scheme works only for an
 * unbound token issued to `dpop-lab-bearer`, and such a token is still fully verified (signature,
 * iss, aud, exp, scope). Everything else sent as Bearer is refused, a DPoP-bound token above all.
 * And only at the embedded issuer: when API_ISSUER names another one, any of its clients could be
 * called `dpop-lab-bearer`, so Bearer is off there unless API_BEARER=on (issue 19, finding 3).
 * (The unit tests of the Bearer checks are in checks.spec.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { apiBearerClientOf, BEARER_CLIENT_ID, readConfig, SPA_CLIENT_ID } from '../config.ts';
import { harnessForSuite, type Harness } from './testing/api-harness.ts';

describe('the Bearer path of the API', () => {
  const h = harnessForSuite();

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

  test('a DPoP-bound token of the bearer client sent as Bearer is refused: never a downgrade', async () => {
    const response = await h.send({ headers: await bearer({ jkt: h.key.thumbprint }) });
    assert.equal(response.status, 401);
    assert.equal(response.challenge?.params['error'], 'invalid_token');
    assert.match(response.challenge?.params['error_description'] ?? '', /DPoP-bound/);
  });
});

describe('the Bearer path when API_ISSUER names another issuer than the embedded one', () => {
  const h = harnessForSuite({ embeddedIssuer: 'http://embedded.dpop-lab.test' });

  test("a token of that issuer's client named dpop-lab-bearer is refused with a bare challenge, saying to use DPoP", async () => {
    const response = await h.send({
      headers: {
        authorization: `Bearer ${await h.token({ jkt: null, clientId: BEARER_CLIENT_ID })}`,
      },
    });
    assert.equal(response.status, 401, response.text);
    assert.equal(response.challenge?.scheme, 'DPoP');
    assert.equal(response.challenge?.params['error'], undefined, 'RFC 6750 §3.1: no error code');
    assert.match(
      String((response.body as Record<string, unknown>)['error_description']),
      /DPoP-bound access tokens only, not the Bearer scheme.*Authorization: DPoP/,
    );
    assert.equal(h.issuer.jwksFetches, 0, 'nothing was verified for it');
  });

  test('DPoP works as ever there', async () => {
    const response = await h.send({ headers: await h.validHeaders() });
    assert.equal(response.status, 200, response.text);
  });
});

describe('API_BEARER=on with another issuer: the operator admits its dpop-lab-bearer client', () => {
  const h = harnessForSuite({ embeddedIssuer: 'http://embedded.dpop-lab.test', bearer: true });

  test("an unbound token of that issuer's dpop-lab-bearer client: 200", async () => {
    const response = await h.send({
      headers: {
        authorization: `Bearer ${await h.token({ jkt: null, clientId: BEARER_CLIENT_ID })}`,
      },
    });
    assert.equal(response.status, 200, response.text);
  });
});

test('API_BEARER: unset, Bearer is on for the embedded issuer and off for another; on and off say so; a typo stops the start', () => {
  const bearer = (env: Record<string, string>) => apiBearerClientOf(readConfig(env));
  assert.equal(bearer({}), BEARER_CLIENT_ID);
  assert.equal(
    bearer({ ISSUER: 'https://as.test', API_ISSUER: 'https://as.test' }),
    BEARER_CLIENT_ID,
  );
  assert.equal(bearer({ API_ISSUER: 'https://idp.example/' }), undefined);
  assert.equal(bearer({ API_ISSUER: 'https://idp.example/', API_BEARER: 'on' }), BEARER_CLIENT_ID);
  assert.equal(bearer({ API_BEARER: 'off' }), undefined);
  assert.throws(() => bearer({ API_BEARER: 'maybe' }), /API_BEARER=maybe is not a switch/);
});
