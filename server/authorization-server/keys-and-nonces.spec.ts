/**
 * Keys and secrets survive a restart (the data folder), and the DPoP nonce switch.
 */
import assert from 'node:assert/strict';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { readConfig } from '../config.ts';
import { authorize, exchangeCode, signIn } from '../testing/sign-in.ts';
import { startTestAuthorizationServer } from '../testing/test-authorization-server.ts';
import { temporaryFolderForSuite } from '../testing/temporary-folder.ts';
import { startAuthorizationServer } from './create-authorization-server.ts';
import { SECRETS_FILE_NAME } from './keys.ts';

async function kids(issuer: string): Promise<string[]> {
  const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
  return keys.map((key) => key.kid).sort();
}

describe('keys and secrets', () => {
  const root = temporaryFolderForSuite('dpop-lab-keys-');

  it('keeps the same signing keys and DPoP nonce secret across a restart with the same data folder', async () => {
    const dataDir = join(root.path, 'restart', '.data');
    const first = await startTestAuthorizationServer({ dataDir });
    const firstKids = await kids(first.issuer);
    const { dpop } = await signIn({ issuer: first.issuer });
    const nonceFromFirst = dpop.nonces.get(new URL(first.issuer).origin);
    assert.ok(nonceFromFirst);
    await first.close();

    const second = await startTestAuthorizationServer({ dataDir });
    const stranger = await startTestAuthorizationServer({
      dataDir: join(root.path, 'stranger', '.data'),
    });
    try {
      assert.deepEqual(await kids(second.issuer), firstKids);
      assert.notDeepEqual(
        await kids(stranger.issuer),
        firstKids,
        'control: another folder, other keys',
      );

      // A nonce handed out before the restart is still accepted: no handshake.
      dpop.nonces.remember(second.issuer, nonceFromFirst);
      const result = await exchangeCode(await authorize({ issuer: second.issuer, dpop }));
      assert.equal(result.status, 200);
      assert.equal(result.challenge, undefined, 'the nonce from before the restart is still valid');

      // Control: a server with another nonce secret rejects that nonce.
      dpop.nonces.remember(stranger.issuer, nonceFromFirst);
      const elsewhere = await exchangeCode(await authorize({ issuer: stranger.issuer, dpop }));
      assert.equal(elsewhere.challenge?.status, 400);
    } finally {
      await second.close();
      await stranger.close();
    }
  });

  it('creates the data folder 0700 and the secrets file 0600', async () => {
    const dataDir = join(root.path, 'modes', '.data');
    const server = await startTestAuthorizationServer({ dataDir });
    await server.close();
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dataDir, SECRETS_FILE_NAME))).mode & 0o777, 0o600);
  });

  it('refuses to start on a damaged secrets file, and says what to do', async () => {
    const dataDir = await mkdtemp(join(root.path, 'damaged-'));
    await writeFile(join(dataDir, SECRETS_FILE_NAME), '{"jwks":{"keys":[]}}');
    await assert.rejects(
      startAuthorizationServer({ config: { ...readConfig({}), dataDir }, port: 0 }),
      /has no ES256 and RS256 signing keys: delete the file/,
    );
  });
});

describe('DPoP nonces turned off (AS_DPOP_NONCE=off)', () => {
  it('reads the switch from the environment', () => {
    assert.equal(readConfig({ AS_DPOP_NONCE: 'off' }).asRequireNonce, false);
    assert.equal(readConfig({}).asRequireNonce, true);
  });

  it('issues tokens and answers /me on the first proof, without a nonce handshake', async () => {
    const as = await startTestAuthorizationServer({ asRequireNonce: false });
    try {
      const authorized = await authorize({ issuer: as.issuer });
      const result = await exchangeCode(authorized);
      assert.equal(result.challenge, undefined);
      assert.equal(result.status, 200);

      const { response, challenge } = await authorized.options.dpop.fetchWithDpop(
        `${as.issuer}/me`,
        {
          accessToken: result.body['access_token'] as string,
          nonce: null,
        },
      );
      assert.equal(challenge, undefined);
      assert.equal(response.status, 200);
    } finally {
      await as.close();
    }
  });
});
