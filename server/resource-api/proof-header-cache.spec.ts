/**
 * The cache of proof headers (./proof-header-cache.ts): a session's header is read and checked
 * once, yet every proof's own parts are still checked, its signature above all, and only a header
 * whose proof verified is kept.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createProofKey } from '@dpop-lab/protocol';
import { ProofHeaderCache } from './proof-header-cache.ts';
import { harnessForSuite } from './testing/api-harness.ts';

describe('proof headers, cached by their text', () => {
  const cache = new ProofHeaderCache(3);
  const h = harnessForSuite({ api: { proofHeaderCache: cache } });

  test('a known header does not make its proof trusted: another signature, a tampered payload or no signature are refused', async () => {
    const accessToken = await h.token();
    assert.equal((await h.send({ headers: await h.validHeaders({ accessToken }) })).status, 200);
    assert.equal(cache.size, 1);
    const other = await createProofKey();
    const forged = await h.validHeaders({ accessToken, proof: { signWith: other } });
    const valid = await h.validHeaders({ accessToken });
    const [header, payload, signature] = String(valid['dpop']).split('.');
    // Every claim still valid, only the jti changed: the signature is what refuses it.
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object;
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, jti: 'another' })).toString(
      'base64url',
    );
    const tampered = `${header}.${otherPayload}.${signature}`;
    for (const dpop of [String(forged['dpop']), tampered, `${header}.${payload}.`]) {
      const response = await h.send({ headers: { ...valid, dpop } });
      assert.equal(response.status, 401, response.text);
      assert.equal(response.challenge?.params['error'], 'invalid_dpop_proof');
      assert.match(response.challenge?.params['error_description'] ?? '', /signature|empty/);
    }
  });

  test('a header whose proof did not verify is not kept; the cache is bounded', async () => {
    const before = cache.size;
    const stranger = await createProofKey();
    const signer = await createProofKey();
    const accessToken = await h.token({ jkt: stranger.thumbprint });
    const forged = await h.validHeaders({
      accessToken,
      proof: { key: stranger, signWith: signer },
    });
    assert.equal((await h.send({ headers: forged })).status, 401);
    assert.equal(cache.size, before);
    for (let i = 0; i < 4; i += 1) {
      const key = await createProofKey();
      const headers = await h.validHeaders({
        accessToken: await h.token({ jkt: key.thumbprint }),
        proof: { key },
      });
      assert.equal((await h.send({ headers })).status, 200);
    }
    assert.equal(cache.size, 3);
  });
});
