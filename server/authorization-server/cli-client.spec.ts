/**
 * The command line's client, `dpop-lab-cli` (clients.ts): a public native client (RFC 8252) whose
 * loopback redirect works on any port, that asks the user first (any program can use its name),
 * and gets DPoP-bound tokens — a refresh token only when it asks for `offline_access`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CLI_CLIENT_ID } from '../config.ts';
import { freePort } from '../testing/free-port.ts';
import {
  authorizationRequest,
  exchangeCode,
  startAuthorization,
  submitLogin,
  type SignInOptions,
} from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';

describe('the command line client (dpop-lab-cli)', () => {
  const as = authorizationServerForSuite();
  const cli = async (options: Partial<SignInOptions> = {}): Promise<SignInOptions> => ({
    issuer: as.issuer,
    clientId: CLI_CLIENT_ID,
    redirectUri: `http://127.0.0.1:${await freePort()}/callback`,
    scope: 'openid apps:read',
    ...options,
  });

  it('asks alice first, saying a program on this computer asks; then a code on whatever loopback port, and a DPoP token', async () => {
    const asked = await submitLogin(
      await startAuthorization(await cli({ consent: 'show' })),
      'alice',
      'alice-password',
    );
    assert.ok(!asked.ok, 'no code before the user allows it');
    assert.match(asked.html, /<strong>DPoP Lab command line<\/strong> asks to:/);
    assert.match(asked.html, /It is a program on this computer/);
    assert.doesNotMatch(asked.html, /refresh token/, 'none without offline_access');

    const started = await startAuthorization(await cli());
    const login = await submitLogin(started, 'alice', 'alice-password');
    assert.ok(login.ok);
    const tokens = await exchangeCode({ ...started, code: login.code });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body['token_type'], 'DPoP');
    assert.equal(tokens.body['refresh_token'], undefined);
  });

  it('redirects only to 127.0.0.1 on the registered path', async () => {
    for (const redirectUri of [
      `http://localhost:${await freePort()}/callback`,
      `http://127.0.0.1:${await freePort()}/elsewhere`,
    ]) {
      const { url } = await authorizationRequest(await cli({ redirectUri }));
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 400, redirectUri);
      assert.match(await response.text(), /redirect_uri/);
    }
  });
});
