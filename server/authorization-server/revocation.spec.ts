/**
 * The revocation endpoint (revocation-policy.ts) against the real server: a thief holding a copy
 * of alice's refresh token or access token, but not her key, cannot sign her out; the app, with
 * her key, revokes her grant after the nonce handshake; the plain-bearer client revokes as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { signProof } from '@dpop-lab/protocol';

import { BEARER_CLIENT_ID } from '../config.ts';
import { DpopClient } from '../testing/dpop-client.ts';
import { authorize, codeExchangeForm, signIn } from '../testing/sign-in.ts';
import { authorizationServerForSuite } from '../testing/test-authorization-server.ts';
import { revoke } from './testing/revoke.ts';

const SPA_ORIGIN = 'http://localhost:4200';

/** The JSON error of a refused revocation. */
async function errorOf(response: Response) {
  return (await response.json()) as { error: string; error_description: string };
}

describe('revocation of a DPoP-bound refresh token', () => {
  const as = authorizationServerForSuite();
  const endpoint = () => `${as.issuer}/token/revocation`;

  it('without a proof (a copied token, no key): 400, nothing revoked, alice stays signed in', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const { response } = await revoke(as.issuer, { token: alice.refreshToken });
    assert.equal(response.status, 400);
    assert.deepEqual(await errorOf(response), {
      error: 'invalid_request',
      error_description: `This refresh token is bound to a DPoP key (RFC 9449) and the request has no DPoP header: revoke it with a DPoP proof signed with its key in the DPoP header (htm POST, htu ${endpoint()}, a fresh iat, a new jti, and the nonce from the last DPoP-Nonce header).`,
    });
    assert.equal((await alice.refresh()).status, 200);
  });

  it("with a proof of the thief's own key: 400 invalid_dpop_proof, nothing revoked", async () => {
    const alice = await signIn({ issuer: as.issuer });
    const thief = await DpopClient.create();
    const { response, challenge } = await revoke(as.issuer, {
      token: alice.refreshToken,
      dpop: thief,
    });
    assert.equal(challenge?.status, 400, 'the nonce handshake comes first');
    assert.equal(response.status, 400);
    const { error, error_description } = await errorOf(response);
    assert.equal(error, 'invalid_dpop_proof');
    assert.match(
      error_description,
      /^The DPoP proof is signed with another key than the one this refresh token is bound to: /,
    );
    assert.equal((await alice.refresh()).status, 200);
  });

  it('with a proof of its key: 400 use_dpop_nonce with a DPoP-Nonce the app can read (CORS), then 200, and the whole grant ends', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const refreshed = await alice.refresh();
    const accessToken = refreshed.body['access_token'] as string;
    alice.dpop.nonces.clear(); // as an app that has no nonce yet
    const { response, challenge } = await revoke(as.issuer, {
      token: alice.refreshToken,
      dpop: alice.dpop,
      headers: { Origin: SPA_ORIGIN },
    });
    assert.equal(challenge?.status, 400);
    assert.equal(challenge?.error, 'use_dpop_nonce');
    assert.match(challenge?.nonce ?? '', /^[\w-]{20,}$/);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), SPA_ORIGIN);
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /DPoP-Nonce/);
    const preflight = await fetch(endpoint(), {
      method: 'OPTIONS',
      headers: {
        Origin: SPA_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,dpop',
      },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /dpop/i);

    const afterRevocation = await alice.refresh();
    assert.equal(afterRevocation.body['error'], 'invalid_grant');
    const { response: me } = await alice.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
    assert.equal(me.status, 401, "the grant's access tokens end with it");
  });

  it('the nonce is the one the token endpoint hands out: a proof carrying it is accepted at once', async () => {
    const alice = await signIn({ issuer: as.issuer }); // alice.dpop keeps the token endpoint's nonce
    const { response, challenge } = await revoke(as.issuer, {
      token: alice.refreshToken,
      dpop: alice.dpop,
    });
    assert.equal(challenge, undefined);
    assert.equal(response.status, 200);
  });

  it('refuses a proof made for another URL or method, or used before (jti), and revokes nothing', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const nonce = alice.dpop.nonces.get(new URL(as.issuer).origin);
    const send = (proof: string) =>
      fetch(endpoint(), {
        method: 'POST',
        headers: { DPoP: proof },
        body: new URLSearchParams({
          token: alice.refreshToken,
          token_type_hint: 'refresh_token',
          client_id: 'dpop-lab-spa',
        }),
      });
    const proofFor = (htm: string, htu: string) => signProof(alice.dpop.key, { htm, htu, nonce });

    const wrongUrl = await send(await proofFor('POST', `${as.issuer}/token`));
    assert.equal(wrongUrl.status, 400);
    assert.match((await errorOf(wrongUrl)).error_description, /^DPoP proof htu mismatch: /);
    const wrongMethod = await send(await proofFor('GET', endpoint()));
    assert.match((await errorOf(wrongMethod)).error_description, /^DPoP proof htm mismatch: /);

    // The proof that revoked one grant, replayed against the next sign-in with the same key.
    const proof = await proofFor('POST', endpoint());
    assert.equal((await send(proof)).status, 200);
    assert.equal((await alice.refresh()).body['error'], 'invalid_grant');
    const again = await signIn({ issuer: as.issuer, dpop: alice.dpop });
    const replayed = await fetch(endpoint(), {
      method: 'POST',
      headers: { DPoP: proof },
      body: new URLSearchParams({ token: again.refreshToken, client_id: 'dpop-lab-spa' }),
    });
    assert.equal(replayed.status, 400);
    assert.match((await errorOf(replayed)).error_description, /^DPoP proof JWT Replay detected: /);
    assert.equal((await again.refresh()).status, 200);
  });
});

describe('revocation of an access token by a public client', () => {
  const as = authorizationServerForSuite();

  it('ends that token only: a copied access token revoked without the key leaves alice signed in', async () => {
    const alice = await signIn({ issuer: as.issuer });
    const accessToken = alice.tokens.access_token;
    const { response } = await revoke(as.issuer, {
      token: accessToken,
      tokenTypeHint: 'access_token',
    });
    assert.equal(response.status, 200);
    const { response: me } = await alice.dpop.fetchWithDpop(`${as.issuer}/me`, { accessToken });
    assert.equal(me.status, 401, 'the copied token itself is revoked');
    const refreshed = await alice.refresh();
    assert.equal(refreshed.status, 200, 'the grant lives on');
  });
});

describe("revocation of the plain-bearer client's refresh token (bound to no key)", () => {
  const as = authorizationServerForSuite();

  it('needs no proof, as before: 200, and the refresh token stops working', async () => {
    const started = await authorize({
      issuer: as.issuer,
      clientId: BEARER_CLIENT_ID,
      dpopJkt: null,
    });
    const exchanged = await fetch(`${as.issuer}/token`, {
      method: 'POST',
      body: codeExchangeForm(started),
    });
    const { refresh_token: refreshToken } = (await exchanged.json()) as { refresh_token: string };
    const { response } = await revoke(as.issuer, {
      token: refreshToken,
      clientId: BEARER_CLIENT_ID,
    });
    assert.equal(response.status, 200);
    const refreshed = await fetch(`${as.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: BEARER_CLIENT_ID,
      }),
    });
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
  });
});
