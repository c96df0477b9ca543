/**
 * Reading what a server answered (RFC 9449 §7.1, §8, §9; RFC 9110 §11.6.1): one parser for every
 * client, token or quoted-string values, several challenges, the scheme in any letter case.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { readDpopAnswer, type HttpAnswer } from './dpop-answer.ts';
import { readChallenges } from './www-authenticate.ts';

function answer(status: number, headers: Record<string, string>, body?: unknown): HttpAnswer {
  return { status, headers: new Headers(headers), body };
}

describe('readChallenges', () => {
  test('reads several challenges with token, quoted and escaped values, names lower-cased', () => {
    assert.deepEqual(
      readChallenges(
        'Basic abc==, Bearer realm="api", DPoP ALGS="ES256 PS256", error=use_dpop_nonce, error_description="say \\"hi\\""',
      ),
      [
        { scheme: 'Basic', params: {} },
        { scheme: 'Bearer', params: { realm: 'api' } },
        {
          scheme: 'DPoP',
          params: { algs: 'ES256 PS256', error: 'use_dpop_nonce', error_description: 'say "hi"' },
        },
      ],
    );
  });

  test('reads a header sent several times, and skips what it cannot parse', () => {
    assert.deepEqual(readChallenges(['Bearer', '@@@, DPoP error="invalid_token"']), [
      { scheme: 'Bearer', params: {} },
      { scheme: 'DPoP', params: { error: 'invalid_token' } },
    ]);
    assert.deepEqual(readChallenges(null), []);
  });

  test('survives garbage without looping, and keeps a comma inside a quoted value', () => {
    assert.deepEqual(readChallenges('"=,,= ;;, DPoP error="x"').at(-1), {
      scheme: 'DPoP',
      params: { error: 'x' },
    });
    assert.deepEqual(readChallenges('Bearer realm="a, b"'), [
      { scheme: 'Bearer', params: { realm: 'a, b' } },
    ]);
    assert.deepEqual(readChallenges(''), []);
  });
});

describe('readDpopAnswer', () => {
  test('reads error, description and algs from a WWW-Authenticate: DPoP challenge (§7.1)', () => {
    const read = readDpopAnswer(
      answer(401, {
        'WWW-Authenticate':
          'DPoP error="invalid_token", error_description="The access token expired", algs="ES256 PS256"',
      }),
    );
    assert.deepEqual(read, {
      status: 401,
      challenged: true,
      error: 'invalid_token',
      description: 'The access token expired',
      algs: ['ES256', 'PS256'],
    });
  });

  test('finds the DPoP challenge among others, in any letter case, with a bare token value', () => {
    const read = readDpopAnswer(
      answer(401, {
        'WWW-Authenticate': 'Bearer realm="api", dpop algs=ES256, error=use_dpop_nonce',
      }),
    );
    assert.equal(read.error, 'use_dpop_nonce');
    assert.deepEqual(read.algs, ['ES256']);
  });

  test("reads a token endpoint's JSON error body, parsed or as text (RFC 6749 §5.2, RFC 9449 §8)", () => {
    const body = { error: 'use_dpop_nonce', error_description: 'nonce required' };
    assert.equal(readDpopAnswer(answer(400, {}, body)).description, 'nonce required');
    assert.equal(readDpopAnswer(answer(400, {}, JSON.stringify(body))).error, 'use_dpop_nonce');
  });

  test('prefers the challenge over the body, and uses the body when the challenge has no error', () => {
    const challenged = answer(
      401,
      { 'WWW-Authenticate': 'DPoP error="invalid_token"' },
      { error: 'other' },
    );
    assert.equal(readDpopAnswer(challenged).error, 'invalid_token');
    const bare = answer(401, { 'WWW-Authenticate': 'DPoP algs="ES256"' }, { error: 'body' });
    assert.equal(readDpopAnswer(bare).error, 'body');
  });

  test('reads the nonce (trimmed) and Date of a success, and never an error from a success body', () => {
    const date = 'Wed, 02 Dec 2026 12:00:00 GMT';
    const read = readDpopAnswer(answer(200, { 'DPoP-Nonce': ' n-1 ', Date: date }, { error: 'x' }));
    assert.deepEqual(read, {
      status: 200,
      challenged: false,
      nonce: 'n-1',
      date: Date.parse(date),
    });
  });

  test('has no error for a body that is not an OAuth error, nor from a Bearer challenge', () => {
    assert.equal(readDpopAnswer(answer(500, {}, 'Internal Server Error')).error, undefined);
    assert.equal(readDpopAnswer(answer(400, {}, 'x'.repeat(70_000))).error, undefined);
    const bearer = readDpopAnswer(
      answer(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
    );
    assert.equal(bearer.error, undefined);
    assert.equal(bearer.challenged, true);
  });
});
