/**
 * A restart does not sign everyone out: sessions, grants and refresh tokens live in
 * `<dataDir>/authorization-server-store.json` (file-adapter.ts), read by the next server on
 * the same data folder. Each "restart" here is a new server, Provider and store on the same
 * port (so the same issuer); only the data folder carries state from one to the next.
 */
import assert from 'node:assert/strict';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';

import { DpopClient } from '../testing/dpop-client.ts';
import { authorizationRequest, followRedirects, signIn, type Session } from '../testing/sign-in.ts';
import {
  startTestAuthorizationServer,
  type TestAuthorizationServer,
} from '../testing/test-authorization-server.ts';
import { temporaryFolderForSuite } from '../testing/temporary-folder.ts';
import { STORE_FILE_NAME } from './file-adapter.ts';
import { revoke } from './testing/revoke.ts';

/** Alice signed in on the server that ran before the restart, and its issuer and port. */
type Before = Session & { issuer: string; port: number };

/** Signs alice in on a new server on `dataDir`, then stops it. */
async function signInAndStop(dataDir: string): Promise<Before> {
  const first = await startTestAuthorizationServer({ dataDir });
  try {
    const session = await signIn({ issuer: first.issuer });
    return { ...session, issuer: first.issuer, port: first.config.asPort };
  } finally {
    await first.close();
  }
}

/**
 * Runs `use` with the server that comes up after the restart: same data folder, same port, same
 * issuer. Stops it afterwards.
 */
async function afterRestart(
  dataDir: string,
  before: Before,
  use: (as: TestAuthorizationServer) => Promise<void>,
): Promise<void> {
  const as = await startTestAuthorizationServer({ dataDir }, { port: before.port });
  try {
    assert.equal(as.issuer, before.issuer);
    await use(as);
  } finally {
    await as.close();
  }
}

/**
 * An authorization request with `prompt=none` in the browser of `before`: a code if its session
 * and grant are still known, `login_required` or `consent_required` if not.
 */
async function silentAuthorization(before: Before) {
  const request = await authorizationRequest({
    issuer: before.issuer,
    dpop: before.dpop,
    scope: 'openid profile email offline_access',
    prompt: 'none',
  });
  const { url } = await followRedirects(before.jar, request.url, request.redirectUri);
  const params = new URL(url).searchParams;
  return { code: params.get('code'), error: params.get('error') };
}

describe('a restart of the authorization server', () => {
  const root = temporaryFolderForSuite('dpop-lab-restart-');
  const dataDir = (name: string) => join(root.path, name, '.data');

  it('keeps the refresh token working with the same DPoP key, and userinfo with the new access token', async () => {
    const before = await signInAndStop(dataDir('refresh'));
    assert.equal((await stat(join(dataDir('refresh'), STORE_FILE_NAME))).mode & 0o777, 0o600);

    let accessToken = '';
    await afterRestart(dataDir('refresh'), before, async (as) => {
      // Still bound to the key it was issued to.
      const stolen = await before.refresh({ dpop: await DpopClient.create() });
      assert.equal(stolen.status, 400);
      assert.equal(stolen.body['error'], 'invalid_grant');

      const refreshed = await before.refresh();
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(refreshed.body['token_type'], 'DPoP');
      accessToken = refreshed.body['access_token'] as string;
      assert.notEqual(accessToken, before.tokens.access_token);

      const { response } = await before.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { sub: string }).sub, 'alice');
    });

    // One more restart: the (opaque) access token issued after the first one still works.
    await afterRestart(dataDir('refresh'), before, async (as) => {
      const { response } = await before.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
      assert.equal(response.status, 200);
    });
  });

  it("keeps the browser's session and grant: prompt=none returns a code without the login page", async () => {
    const before = await signInAndStop(dataDir('session'));
    await afterRestart(dataDir('session'), before, async () => {
      const silent = await silentAuthorization(before);
      assert.equal(silent.error, null);
      assert.match(silent.code ?? '', /^[\w-]{20,}$/);
    });
  });

  it('remembers across restarts that the app revoked its refresh token, with every token of the grant', async () => {
    const before = await signInAndStop(dataDir('revoked'));

    let accessToken = '';
    await afterRestart(dataDir('revoked'), before, async (as) => {
      const refreshed = await before.refresh();
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      accessToken = refreshed.body['access_token'] as string;
      const revocation = { token: before.refreshToken, dpop: before.dpop };
      assert.equal((await revoke(as.issuer, revocation)).response.status, 200);
    });

    await afterRestart(dataDir('revoked'), before, async (as) => {
      const afterRevocation = await before.refresh();
      assert.equal(afterRevocation.status, 400);
      assert.equal(afterRevocation.body['error'], 'invalid_grant');
      const { response } = await before.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
      assert.equal(response.status, 401, 'the access tokens of the revoked grant stop working too');
    });
  });

  it('control: without the store file, the same keys and port know no session and no refresh token', async () => {
    const before = await signInAndStop(dataDir('control'));
    await unlink(join(dataDir('control'), STORE_FILE_NAME));

    await afterRestart(dataDir('control'), before, async () => {
      const refreshed = await before.refresh();
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.body['error'], 'invalid_grant');
      const silent = await silentAuthorization(before);
      assert.equal(silent.error, 'login_required');
    });
  });

  it('starts with no sessions, and says so in one line, when the store file is damaged', async () => {
    const before = await signInAndStop(dataDir('damaged'));
    await writeFile(join(dataDir('damaged'), STORE_FILE_NAME), '{"version":1,"entries":[{"mod');

    const warn = mock.method(console, 'warn', () => undefined);
    await afterRestart(dataDir('damaged'), before, async (as) => {
      const lines = warn.mock.calls.map((call) => String(call.arguments[0]));
      warn.mock.restore();
      assert.deepEqual(
        lines.filter((line) => line.includes(STORE_FILE_NAME)).length,
        1,
        lines.join('\n'),
      );
      assert.ok(lines.some((line) => /store was unreadable.*starting with no sessions/.test(line)));

      const refreshed = await before.refresh();
      assert.equal(refreshed.body['error'], 'invalid_grant');
      // And it works: a new sign-in gets tokens.
      assert.ok((await signIn({ issuer: as.issuer, dpop: before.dpop })).tokens.refresh_token);
    }).finally(() => warn.mock.restore());
  });
});
