/**
 * `npm run proof` as a user runs it (a child process), against the real authorization server
 * and API on loopback: docs/walkthrough.md's curl steps, one by one. Its key lives in a file
 * (0600) and is reused; its proofs verify; a token obtained with its proofs is bound to its key;
 * an API call with its proof is accepted once and refused on replay.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { calculateJwkThumbprint, decodeJwt, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { athOf } from '@dpop-lab/protocol';

import { SERVICE_CLIENT } from '../config.ts';
import { testWorldForSuite } from '../testing/test-world.ts';
import { CLI_KEY_FILE_NAME } from './cli-key.ts';
import { runCli } from './testing/run-cli.ts';

describe('npm run proof (the proof CLI)', () => {
  const world = testWorldForSuite();

  const cli = (...args: string[]) => runCli('proof.ts', args, world.env);

  const proof = async (...args: string[]) => {
    const run = await cli(...args);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.trim();
  };

  /** The `DPoP-Nonce` of a `use_dpop_nonce` answer, as curl would show it. */
  const nonceOf = (response: Response) => {
    const nonce = response.headers.get('dpop-nonce');
    assert.ok(nonce, 'the challenge carries a DPoP-Nonce');
    return nonce;
  };

  it('prints only a proof on stdout that verifies with its own key: typ dpop+jwt, htm, htu without query, ath, nonce', async () => {
    const jwt = await proof(
      '--htm',
      'get',
      '--htu',
      `${world.api}/api/apps?x=1#y`,
      '--token',
      'the-token',
      '--nonce',
      'n-1',
    );
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'one JWT, nothing else');
    const { payload, protectedHeader } = await jwtVerify(jwt, EmbeddedJWK, { typ: 'dpop+jwt' });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(
      (protectedHeader.jwk as JWK).d,
      undefined,
      'the header carries the public key only',
    );
    assert.equal(payload['htm'], 'GET');
    assert.equal(payload['htu'], `${world.api}/api/apps`);
    assert.equal(payload['ath'], await athOf('the-token'));
    assert.equal(payload['nonce'], 'n-1');
    assert.equal(typeof payload.jti, 'string');
    assert.ok(Math.abs((payload.iat ?? 0) - Date.now() / 1000) < 10);
  });

  it('keeps its key in <DPOP_LAB_DATA_DIR>/cli-key.json, mode 0600, and reuses it', async () => {
    const first = await proof('--jkt');
    const file = join(world.config.dataDir, CLI_KEY_FILE_NAME);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(await proof('--jkt'), first, 'the same key next time');
    const jwt = await proof('--htm', 'GET', '--htu', `${world.api}/api/users`);
    const { protectedHeader } = await jwtVerify(jwt, EmbeddedJWK);
    assert.equal(await calculateJwkThumbprint(protectedHeader.jwk as JWK), first);
  });

  it('says how to use it when an argument is missing or unknown (exit 2)', async () => {
    const missing = await cli('--htm', 'GET');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Give both --htm and --htu/);
    assert.match(missing.stderr, /Usage: npm run -s proof/);
    assert.equal(missing.stdout, '');
    const unknown = await cli('--htm', 'GET', '--htu', world.api, '--bogus');
    assert.equal(unknown.code, 2);
    const notAUrl = await cli('--htm', 'GET', '--htu', 'api/users');
    assert.equal(notAUrl.code, 1);
    assert.match(notAUrl.stderr, /not an absolute URL/);
  });

  it('the curl walkthrough: token with its proofs, API call accepted once, refused on replay', async () => {
    const tokenUrl = `${world.issuer}/token`;
    const tokenRequest = async (dpop: string) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${SERVICE_CLIENT.id}:${SERVICE_CLIENT.secret}`).toString('base64')}`,
          DPoP: dpop,
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'apps:read',
          resource: world.resource,
        }),
      });

    // 1. A proof without a nonce: the token endpoint wants one (RFC 9449 §8).
    const challenged = await tokenRequest(await proof('--htm', 'POST', '--htu', tokenUrl));
    assert.equal(challenged.status, 400);
    assert.equal(((await challenged.json()) as { error: string }).error, 'use_dpop_nonce');
    const asNonce = nonceOf(challenged);

    // 2. Again with the nonce: a DPoP-bound token, bound to the CLI's key.
    const issued = await tokenRequest(
      await proof('--htm', 'POST', '--htu', tokenUrl, '--nonce', asNonce),
    );
    assert.equal(issued.status, 200);
    const body = (await issued.json()) as { access_token: string; token_type: string };
    assert.equal(body.token_type, 'DPoP');
    const token = body.access_token;
    assert.deepEqual(decodeJwt(token)['cnf'], { jkt: await proof('--jkt') });

    // 3. The API wants its own nonce (§9).
    const apps = `${world.api}/api/apps`;
    const call = (dpop: string) =>
      fetch(apps, { headers: { Authorization: `DPoP ${token}`, DPoP: dpop } });
    const first = await call(await proof('--htm', 'GET', '--htu', apps, '--token', token));
    assert.equal(first.status, 401);
    assert.match(first.headers.get('www-authenticate') ?? '', /error="use_dpop_nonce"/);

    // 4. With the API's nonce: accepted.
    const captured = await proof(
      '--htm',
      'GET',
      '--htu',
      apps,
      '--token',
      token,
      '--nonce',
      nonceOf(first),
    );
    const accepted = await call(captured);
    assert.equal(accepted.status, 200);
    assert.ok(Array.isArray(await accepted.json()));

    // 5. The same proof again: refused, it was used (§11.1).
    const replayed = await call(captured);
    assert.equal(replayed.status, 401);
    const challenge = replayed.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="invalid_dpop_proof"/);
    assert.match(challenge, /already used/);

    // 6. The stolen token without the key: as Bearer it is refused too.
    const asBearer = await fetch(apps, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(asBearer.status, 401);
    assert.match(asBearer.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
});
