/** A token response is refused unless bound to the client's key (RFC 9449 §5, §6.1): no downgrade. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { UnsecuredJWT } from 'jose';

import { checkIssuedTokens, tokenBindingOf } from './issued-tokens.ts';

const jwt = (claims: Record<string, unknown>) => new UnsecuredJWT(claims).encode();

describe('checkIssuedTokens', () => {
  test('accepts token_type DPoP (any case) with a JWT bound to the key, or an opaque token', () => {
    checkIssuedTokens({ access_token: jwt({ cnf: { jkt: 'k1' } }), token_type: 'DPoP' }, 'k1');
    checkIssuedTokens({ access_token: 'opaque-token', token_type: 'dpop' }, 'k1');
  });

  test('refuses bearer tokens, saying what to enable', () => {
    for (const token_type of ['Bearer', undefined]) {
      assert.throws(
        () => checkIssuedTokens({ access_token: 'opaque', token_type }, 'k1'),
        (error: { code: string; message: string }) =>
          error.code === 'bearer_token_issued' && /dpop_bound_access_tokens/.test(error.message),
      );
    }
  });

  test('refuses a JWT bound to another key, or to none', () => {
    assert.throws(
      () =>
        checkIssuedTokens({ access_token: jwt({ cnf: { jkt: 'k2' } }), token_type: 'DPoP' }, 'k1'),
      { code: 'token_not_bound', message: /another key \(cnf\.jkt k2\)/ },
    );
    assert.throws(
      () => checkIssuedTokens({ access_token: jwt({ sub: 'x' }), token_type: 'DPoP' }, 'k1'),
      { code: 'token_not_bound', message: /without cnf\.jkt/ },
    );
  });

  test('tokenBindingOf tells a JWT with cnf.jkt from an opaque token', () => {
    assert.deepEqual(tokenBindingOf(jwt({ cnf: { jkt: 'k1' } })), { format: 'jwt', jkt: 'k1' });
    assert.deepEqual(tokenBindingOf('abc'), { format: 'opaque' });
  });
});
