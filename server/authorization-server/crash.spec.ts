/**
 * What the authorization server answered survives a crash (file-adapter.ts): the real server runs
 * as its own process, answers a rotation or a revocation with 200, and is killed at once with
 * SIGKILL (it can write nothing more); the server started after it on the same data folder keeps
 * what was said.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { freePort } from '../testing/free-port.ts';
import { refreshTokens, signIn } from '../testing/sign-in.ts';
import { temporaryFolderForSuite } from '../testing/temporary-folder.ts';
import { revoke } from './testing/revoke.ts';
import { startServerProcess, type ServerProcess } from './testing/server-process.ts';

describe('kill -9 right after an answer', () => {
  const root = temporaryFolderForSuite('dpop-lab-crash-');

  /** Runs `before` on a server process, kills it, then `after` on a new one on the same folder. */
  async function acrossACrash(
    name: string,
    before: (server: ServerProcess) => Promise<void>,
    after: (server: ServerProcess) => Promise<void>,
  ): Promise<void> {
    const options = { port: await freePort('localhost'), dataDir: join(root.path, name) };
    const first = await startServerProcess(options);
    try {
      await before(first);
    } finally {
      await first.kill();
    }
    const second = await startServerProcess(options);
    try {
      await after(second);
    } finally {
      await second.kill();
    }
  }

  it('a rotation answered 200: after the restart the new refresh token works, and the rotated-out one is known as spent (it revokes the grant)', async () => {
    let alice: Awaited<ReturnType<typeof signIn>> | undefined;
    let rotatedOut = '';
    await acrossACrash(
      'rotation',
      async ({ issuer }) => {
        alice = await signIn({ issuer });
        rotatedOut = alice.refreshToken;
        const rotated = await alice.refresh();
        assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      },
      async ({ issuer }) => {
        assert.ok(alice);
        const newest = alice.refreshToken;
        const refreshed = await refreshTokens({ issuer, dpop: alice.dpop, refreshToken: newest });
        assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
        const reused = await refreshTokens({ issuer, dpop: alice.dpop, refreshToken: rotatedOut });
        assert.equal(reused.body['error'], 'invalid_grant');
        const afterReuse = await refreshTokens({
          issuer,
          dpop: alice.dpop,
          refreshToken: refreshed.body['refresh_token'] as string,
        });
        assert.equal(
          afterReuse.body['error'],
          'invalid_grant',
          'reuse detection revoked the grant',
        );
      },
    );
  });

  it('a revocation answered 200: after the restart the refresh token stays revoked', async () => {
    let alice: Awaited<ReturnType<typeof signIn>> | undefined;
    await acrossACrash(
      'revocation',
      async ({ issuer }) => {
        alice = await signIn({ issuer });
        const { response } = await revoke(issuer, { token: alice.refreshToken, dpop: alice.dpop });
        assert.equal(response.status, 200);
      },
      async () => {
        assert.ok(alice);
        const refreshed = await alice.refresh();
        assert.equal(refreshed.status, 400);
        assert.equal(refreshed.body['error'], 'invalid_grant');
      },
    );
  });
});
