/**
 * A restart does not sign everyone out: sessions, grants and refresh tokens live in
 * `<dataDir>/authorization-server-store.json` (file-adapter.ts), read by the next server on
 * the same data folder. Each "restart" here is a new server, Provider and store on the same
 * port (so the same issuer); only the data folder carries state from one to the next.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';

import { SPA_CLIENT_ID } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import {
  authorize,
  discover,
  exchangeCode,
  refreshTokens,
  signIn,
  type CookieJar,
  type TokenResponse,
} from '../testing/sign-in.ts';
import {
  startTestAuthorizationServer,
  type TestAuthorizationServer,
} from '../testing/test-authorization-server.ts';
import { STORE_FILE_NAME } from './file-adapter.ts';

/** Signs alice in on a new server on `dataDir`, then stops it. */
async function signInAndStop(dataDir: string) {
  const first = await startTestAuthorizationServer({ dataDir });
  const dpop = await DpopClient.create();
  const started = await authorize({ issuer: first.issuer, dpop });
  const result = await exchangeCode(started);
  assert.equal(result.status, 200, JSON.stringify(result.body));
  await first.close();
  return {
    issuer: first.issuer,
    port: first.config.asPort,
    dpop,
    jar: started.jar,
    tokens: result.body as unknown as TokenResponse & { refresh_token: string },
  };
}

/** The server that comes up after the restart: same data folder, same port, same issuer. */
async function restart(dataDir: string, port: number, issuer: string) {
  const server = await startTestAuthorizationServer({ dataDir }, { port });
  assert.equal(server.issuer, issuer);
  return server;
}

/**
 * An authorization request with `prompt=none` in the browser of `jar`: a code if its session
 * and grant are still known, `login_required` or `consent_required` if not.
 */
async function silentAuthorization(jar: CookieJar, issuer: string, dpop: DpopClient) {
  const redirectUri = 'http://localhost:4200/login/callback';
  const url = new URL((await discover(issuer)).authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: SPA_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email offline_access',
    prompt: 'none',
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
    code_challenge_method: 'S256',
    dpop_jkt: dpop.thumbprint,
  }).toString();
  let location = url.href;
  for (let hop = 0; hop < 5 && !location.startsWith(redirectUri); hop++) {
    const response = await jar.fetch(location);
    await response.body?.cancel();
    const next = response.headers.get('location');
    assert.ok(next, `a redirect from ${location} (status ${response.status})`);
    location = new URL(next, location).href;
  }
  const params = new URL(location).searchParams;
  return { code: params.get('code'), error: params.get('error') };
}

describe('a restart of the authorization server', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dpop-lab-restart-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('keeps the refresh token working with the same DPoP key, and userinfo with the new access token', async () => {
    const dataDir = join(root, 'refresh', '.data');
    const before = await signInAndStop(dataDir);
    assert.equal((await stat(join(dataDir, STORE_FILE_NAME))).mode & 0o777, 0o600);

    const as = await restart(dataDir, before.port, before.issuer);
    let accessToken: string;
    try {
      // Still bound to the key it was issued to.
      const stranger = await DpopClient.create();
      const stolen = await refreshTokens({
        issuer: as.issuer,
        dpop: stranger,
        refreshToken: before.tokens.refresh_token,
      });
      assert.equal(stolen.status, 400);
      assert.equal(stolen.body['error'], 'invalid_grant');

      const refreshed = await refreshTokens({
        issuer: as.issuer,
        dpop: before.dpop,
        refreshToken: before.tokens.refresh_token,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(refreshed.body['token_type'], 'DPoP');
      accessToken = refreshed.body['access_token'] as string;
      assert.notEqual(accessToken, before.tokens.access_token);

      const { response } = await before.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { sub: string }).sub, 'alice');
    } finally {
      await as.close();
    }

    // One more restart: the (opaque) access token issued after the first one still works.
    const again = await restart(dataDir, before.port, before.issuer);
    try {
      const { response } = await before.dpop.fetchWithDpop(`${again.issuer}/me`, { accessToken });
      assert.equal(response.status, 200);
    } finally {
      await again.close();
    }
  });

  it("keeps the browser's session and grant: prompt=none returns a code without the login page", async () => {
    const dataDir = join(root, 'session', '.data');
    const before = await signInAndStop(dataDir);
    const as = await restart(dataDir, before.port, before.issuer);
    try {
      const silent = await silentAuthorization(before.jar, as.issuer, before.dpop);
      assert.equal(silent.error, null);
      assert.match(silent.code ?? '', /^[\w-]{20,}$/);
    } finally {
      await as.close();
    }
  });

  it('remembers across restarts that the app revoked its refresh token, with every token of the grant', async () => {
    const dataDir = join(root, 'revoked', '.data');
    const before = await signInAndStop(dataDir);

    const second = await restart(dataDir, before.port, before.issuer);
    let accessToken: string;
    try {
      const refreshed = await refreshTokens({
        issuer: second.issuer,
        dpop: before.dpop,
        refreshToken: before.tokens.refresh_token,
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      accessToken = refreshed.body['access_token'] as string;
      const revoked = await fetch(`${second.issuer}/token/revocation`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: SPA_CLIENT_ID,
          token: before.tokens.refresh_token,
          token_type_hint: 'refresh_token',
        }),
      });
      assert.equal(revoked.status, 200);
    } finally {
      await second.close();
    }

    const third = await restart(dataDir, before.port, before.issuer);
    try {
      const afterRevocation = await refreshTokens({
        issuer: third.issuer,
        dpop: before.dpop,
        refreshToken: before.tokens.refresh_token,
      });
      assert.equal(afterRevocation.status, 400);
      assert.equal(afterRevocation.body['error'], 'invalid_grant');
      const { response } = await before.dpop.fetchWithDpop(`${third.issuer}/me`, { accessToken });
      assert.equal(response.status, 401, 'the access tokens of the revoked grant stop working too');
    } finally {
      await third.close();
    }
  });

  it('control: without the store file, the same keys and port know no session and no refresh token', async () => {
    const dataDir = join(root, 'control', '.data');
    const before = await signInAndStop(dataDir);
    await unlink(join(dataDir, STORE_FILE_NAME));

    const as = await restart(dataDir, before.port, before.issuer);
    try {
      const refreshed = await refreshTokens({
        issuer: as.issuer,
        dpop: before.dpop,
        refreshToken: before.tokens.refresh_token,
      });
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.body['error'], 'invalid_grant');
      const silent = await silentAuthorization(before.jar, as.issuer, before.dpop);
      assert.equal(silent.error, 'login_required');
    } finally {
      await as.close();
    }
  });

  it('starts with no sessions, and says so in one line, when the store file is damaged', async () => {
    const dataDir = join(root, 'damaged', '.data');
    const before = await signInAndStop(dataDir);
    await writeFile(join(dataDir, STORE_FILE_NAME), '{"version":1,"entries":[{"mod');

    const warn = mock.method(console, 'warn', () => undefined);
    let as: TestAuthorizationServer | undefined;
    try {
      as = await restart(dataDir, before.port, before.issuer);
      const lines = warn.mock.calls.map((call) => String(call.arguments[0]));
      assert.deepEqual(
        lines.filter((line) => line.includes(STORE_FILE_NAME)).length,
        1,
        lines.join('\n'),
      );
      assert.ok(lines.some((line) => /store was unreadable.*starting with no sessions/.test(line)));
    } finally {
      warn.mock.restore();
    }
    try {
      const refreshed = await refreshTokens({
        issuer: as.issuer,
        dpop: before.dpop,
        refreshToken: before.tokens.refresh_token,
      });
      assert.equal(refreshed.body['error'], 'invalid_grant');
      // And it works: a new sign-in gets tokens.
      assert.ok((await signIn({ issuer: as.issuer, dpop: before.dpop })).refresh_token);
    } finally {
      await as.close();
    }
  });
});
