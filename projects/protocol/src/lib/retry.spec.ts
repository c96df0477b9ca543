/** The retry rule every DPoP client here follows: a nonce challenge once, a clock skew once. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { DpopAnswer } from './dpop-answer.ts';
import { afterRetry, isNonceChallenge, nextRetry } from './retry.ts';

const fresh = { nonceRetried: false, clockRetried: false };
const nonceChallenge = (status: number): DpopAnswer => ({
  status,
  challenged: status === 401,
  error: 'use_dpop_nonce',
  nonce: 'n-1',
});

describe('nextRetry', () => {
  test("answers an authorization server's 400 and a resource server's 401 nonce challenge once", () => {
    for (const status of [400, 401]) {
      const retry = nextRetry(nonceChallenge(status), fresh);
      assert.deepEqual(retry, { reason: 'use_dpop_nonce', nonce: 'n-1' });
      assert.equal(nextRetry(nonceChallenge(status), afterRetry(fresh, retry!)), null);
    }
  });

  test('is no retry for a challenge on another status, or one whose nonce is not readable', () => {
    assert.equal(isNonceChallenge(nonceChallenge(403)), false);
    assert.equal(nextRetry(nonceChallenge(403), fresh), null);
    assert.equal(nextRetry({ ...nonceChallenge(401), nonce: undefined }, fresh), null);
    assert.equal(isNonceChallenge({ ...nonceChallenge(401), nonce: undefined }), true);
  });

  test('retries an invalid_dpop_proof once, only when the clock offset moved', () => {
    const refused: DpopAnswer = { status: 401, challenged: true, error: 'invalid_dpop_proof' };
    assert.equal(nextRetry(refused, fresh), null);
    const retry = nextRetry(refused, fresh, { clockMoved: true });
    assert.deepEqual(retry, { reason: 'clock_skew' });
    assert.equal(nextRetry(refused, afterRetry(fresh, retry!), { clockMoved: true }), null);
  });

  test('never retries anything else', () => {
    for (const error of ['invalid_token', 'insufficient_scope', undefined]) {
      assert.equal(
        nextRetry({ status: 401, challenged: true, ...(error ? { error } : {}) }, fresh, {
          clockMoved: true,
        }),
        null,
      );
    }
  });
});
