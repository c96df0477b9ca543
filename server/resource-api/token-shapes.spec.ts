/**
 * The API with tokens from other identity providers (API_ISSUER, API_TOKEN_SHAPES): a test issuer
 * on loopback with its own JWKS, at the provider's issuer form (Okta `/oauth2/default`, Keycloak
 * `/realms/NAME`, Auth0 with its trailing slash), found through discovery, mints tokens laid out
 * as that provider lays them out (./testing/test-issuer.ts). Accepted when the shape is admitted,
 * refused under the RFC 9068 default; wrong key, issuer, audience, expiry and binding are refused
 * in every shape.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createProofKey } from '@dpop-lab/protocol';
import { discoveryUrlOf } from './trusted-issuer.ts';
import { harnessForSuite, startHarness, type Harness } from './testing/api-harness.ts';
import type { MintOptions } from './testing/test-issuer.ts';

const PROVIDERS = [
  { shape: 'okta', issuerPath: '/oauth2/default' },
  { shape: 'keycloak', issuerPath: '/realms/dpop-lab' },
  { shape: 'auth0', issuerPath: '/' },
] as const;

const otherKey = await createProofKey();

const send = async (h: Harness, token: Partial<MintOptions>, path = '/api/users') =>
  h.send({ path, headers: await h.validHeaders({ path, token }) });

const errorOf = (response: Awaited<ReturnType<Harness['send']>>) =>
  `${response.status} ${response.challenge?.params['error'] ?? ''}`.trim();

for (const { shape, issuerPath } of PROVIDERS) {
  describe(`${shape}-shaped tokens, issuer http://127.0.0.1:<port>${issuerPath}`, () => {
    const admitted = harnessForSuite({
      shapes: ['rfc9068', shape],
      issuer: { issuerPath },
      discoverJwks: true,
    });
    const strict = harnessForSuite({ issuer: { issuerPath }, discoverJwks: true });

    test('accepted when API_TOKEN_SHAPES admits them', async () => {
      assert.ok(admitted.config.issuer.endsWith(issuerPath), admitted.config.issuer);
      const response = await send(admitted, { shape });
      assert.equal(response.status, 200, response.text);
    });

    test('refused under the RFC 9068 default, naming the shape and the setting', async () => {
      const response = await send(strict, { shape });
      assert.equal(errorOf(response), '401 invalid_token', response.text);
      assert.match(
        response.challenge?.params['error_description'] ?? '',
        new RegExp(`API_TOKEN_SHAPES=rfc9068,${shape}`),
      );
    });

    test('their scopes are read (Okta: scp): a token without users:read is 403', async () => {
      const response = await send(admitted, { shape, scope: 'openid apps:read' });
      assert.equal(errorOf(response), '403 insufficient_scope', response.text);
      assert.equal((await send(admitted, { shape, scope: 'apps:read' }, '/api/apps')).status, 200);
    });

    for (const [name, changes] of [
      ['signed with a key not in the JWKS', { forged: true }],
      ['from another issuer', { issuer: 'https://evil.example/' }],
      ['for another audience', { audience: 'https://other.example/api' }],
      ['expired', { expiresIn: -60 }],
      ['bound to another key', { jkt: otherKey.thumbprint }],
      ['not DPoP-bound (no cnf)', { jkt: null }],
    ] as const) {
      test(`refused when ${name}`, async () => {
        const response = await send(admitted, { shape, ...changes });
        assert.equal(errorOf(response), '401 invalid_token', response.text);
      });
    }
  });
}

describe('the issuer, exactly as configured', () => {
  test('the discovery URL drops a trailing slash only (OpenID Connect Discovery §4.1)', () => {
    assert.equal(
      discoveryUrlOf('https://tenant.auth0.com/'),
      'https://tenant.auth0.com/.well-known/openid-configuration',
    );
    assert.equal(
      discoveryUrlOf('https://dev-1.okta.com/oauth2/default'),
      'https://dev-1.okta.com/oauth2/default/.well-known/openid-configuration',
    );
    assert.equal(
      discoveryUrlOf('https://sso.example/realms/dpop-lab'),
      'https://sso.example/realms/dpop-lab/.well-known/openid-configuration',
    );
    assert.equal(
      discoveryUrlOf('https://is.example:9443/oauth2/token'),
      'https://is.example:9443/oauth2/token/.well-known/openid-configuration',
    );
  });

  test('an issuer whose discovery document names another issuer stops the API, naming both', async () => {
    // Auth0's issuer with its slash, configured without it: a mismatch (§4.3: identical).
    const started = startHarness({
      issuer: { issuerPath: '/', documentIssuer: 'https://tenant.auth0.com/' },
      discoverJwks: true,
    });
    await assert.rejects(started, (error: Error) => {
      assert.match(error.message, /names the issuer "https:\/\/tenant\.auth0\.com\/"/);
      assert.match(error.message, /configured to trust "http:\/\/127\.0\.0\.1:\d+\/"/);
      return true;
    });
  });
});
