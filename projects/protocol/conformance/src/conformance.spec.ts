/**
 * The shared catalogue on its own, against servers made of a `fetch` function: how answers are
 * read, how verdicts and the summary come out, when a run stops, and how nonces are followed.
 * The command's tests run it against real servers (server/cli/conformance.spec.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { decodeJwt } from 'jose';

import { createProofKey } from '@dpop-lab/protocol';
import { readAnswer } from './answer.ts';
import {
  ApiUnreachable,
  CONFORMANCE_CHECKS,
  resultLabel,
  runConformance,
  summaryOf,
  type CheckResult,
} from './public-api.ts';

const URL_ = 'https://api.example.test/api/apps';
const key = await createProofKey();

interface Seen {
  proof?: Record<string, unknown>;
  authorization: string | null;
}

/** A server as a function of what it was sent; records every request. */
function fakeServer(answer: (seen: Seen, index: number) => Response | Promise<Response>) {
  const requests: Seen[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const dpop = headers.get('dpop');
    let proof: Record<string, unknown> | undefined;
    try {
      proof = dpop ? decodeJwt(dpop) : undefined;
    } catch {
      proof = undefined;
    }
    const seen = { proof, authorization: headers.get('authorization') };
    requests.push(seen);
    return answer(seen, requests.length - 1);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const ok = () => new Response('[]', { status: 200 });
const refuse = (error: string, headers: Record<string, string> = {}) =>
  new Response('', {
    status: 401,
    headers: { 'WWW-Authenticate': `DPoP error="${error}"`, ...headers },
  });

const run = (fetch: typeof globalThis.fetch, onResult?: (r: CheckResult) => void) =>
  runConformance({ url: URL_, key, accessToken: 'token-1', fetch, onResult });

const byId = (results: CheckResult[]) => new Map(results.map((r) => [r.id, r]));

describe('readAnswer', () => {
  test('reads error and description from WWW-Authenticate, unescaping quotes', async () => {
    const answer = await readAnswer(
      new Response('{"error":"other"}', {
        status: 401,
        headers: {
          'WWW-Authenticate': 'DPoP error="invalid_dpop_proof", error_description="a \\"b\\""',
          'DPoP-Nonce': 'n-1',
          Date: 'Wed, 02 Dec 2026 10:00:00 GMT',
        },
      }),
    );
    assert.deepEqual(answer, {
      status: 401,
      error: 'invalid_dpop_proof',
      description: 'a "b"',
      nonce: 'n-1',
      challenge: 'DPoP error="invalid_dpop_proof", error_description="a \\"b\\""',
      date: Date.UTC(2026, 11, 2, 10),
    });
  });
  test('falls back to the JSON body of a refusal', async () => {
    const answer = await readAnswer(
      new Response('{"error":"invalid_request","error_description":"two"}', { status: 400 }),
    );
    assert.equal(answer.error, 'invalid_request');
    assert.equal(answer.description, 'two');
  });
});

describe('runConformance', () => {
  test('a server that accepts everything fails every refusal, and only those; one row per check, in order', async () => {
    const server = fakeServer(ok);
    const rows: string[] = [];
    const report = await run(server.fetch, (row) => rows.push(row.id));
    assert.deepEqual(
      rows,
      CONFORMANCE_CHECKS.map((check) => check.id),
    );
    const results = byId(report.results);
    assert.equal(results.get('correct-request')?.outcome, 'pass');
    assert.equal(results.get('no-typ')?.note, 'accepted it');
    assert.equal(results.get('iat-hour-past')?.required, true, 'without nonces iat must do');
    assert.equal(results.get('replay-race')?.observed, '20 × 200');
    assert.equal(results.get('nonce-bogus')?.outcome, 'n/a');
    for (const id of ['htu-without-query', 'iat-10s-after', 'lowercase-scheme', 'still-works']) {
      assert.equal(results.get(id)?.outcome, 'pass', id);
    }
    assert.equal(report.passed, false);
    assert.match(
      summaryOf(report),
      /^42 checks: 10 pass, 28 fail, 4 not applicable\. 28 required checks fail: No Authorization header; /,
    );
  });

  test('follows the server nonce: one retry after use_dpop_nonce, none in the nonce checks', async () => {
    let current = 'n-1';
    const server = fakeServer((seen, index) => {
      if (index === 20) current = 'n-2'; // the nonce rolls over in the middle of the run
      const nonce = { 'DPoP-Nonce': current };
      if (seen.proof?.['nonce'] !== current) return refuse('use_dpop_nonce', nonce);
      return seen.proof['htm'] === 'GET' && seen.proof['jti'] !== 'x'
        ? new Response('[]', { status: 200, headers: nonce })
        : refuse('invalid_dpop_proof', nonce);
    });
    const report = await run(server.fetch);
    assert.equal(report.requiresNonce, true);
    assert.deepEqual(
      server.requests.slice(0, 2).map((r) => r.proof?.['nonce']),
      [undefined, 'n-1'],
      'the correct request learns the nonce',
    );
    assert.deepEqual(
      server.requests.slice(20, 22).map((r) => r.proof?.['nonce']),
      ['n-1', 'n-2'],
      'a stale nonce mid-run: the same check again, with the new one',
    );
    const results = byId(report.results);
    assert.equal(results.get('nonce-missing')?.outcome, 'pass');
    assert.equal(results.get('nonce-bogus')?.outcome, 'pass');
    assert.equal(results.get('iat-hour-past')?.required, false, 'with nonces, iat only warns');
  });

  test('stops after three server errors in a row and runs nothing more', async () => {
    const server = fakeServer((_seen, index) =>
      index === 0 ? ok() : new Response('', { status: 503 }),
    );
    const report = await run(server.fetch);
    assert.equal(server.requests.length, 4);
    const [, first, second, third, next] = report.results;
    assert.deepEqual(
      [first, second].map((r) => r?.note),
      [
        'a request without credentials gets 401',
        'a refusal is 401 (or 400 for a malformed request)',
      ],
    );
    assert.equal(third?.outcome, 'fail');
    assert.match(third?.note ?? '', /failed 3 requests in a row/);
    assert.equal(next?.outcome, 'n/a');
    assert.match(next?.note ?? '', /^not run: The server failed 3 requests/);
    assert.equal(report.passed, false);
    assert.match(summaryOf(report), /Stopped early: The server failed 3 requests in a row/);
  });

  test('stops at the first 429', async () => {
    const server = fakeServer((_seen, index) =>
      index === 0 ? ok() : new Response('', { status: 429 }),
    );
    const report = await run(server.fetch);
    assert.equal(server.requests.length, 2);
    assert.match(report.stopped ?? '', /429 Too Many Requests/);
  });

  test('runs nothing else when the correct request is refused', async () => {
    const server = fakeServer(() => refuse('invalid_token'));
    const report = await run(server.fetch);
    assert.equal(server.requests.length, 1);
    assert.equal(report.results[0]?.observed, '401 invalid_token');
    assert.ok(
      report.results
        .slice(1)
        .every((r) => r.outcome === 'n/a' && /correct request was refused/.test(r.note ?? '')),
    );
  });

  test('rejects with ApiUnreachable when the first request gets no answer', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as typeof globalThis.fetch;
    await assert.rejects(run(down), (error: unknown) => {
      assert.ok(error instanceof ApiUnreachable);
      assert.match(error.message, /got no answer \(ECONNREFUSED\): is the server running/);
      return true;
    });
  });

  test('a failed recommended check warns', () => {
    assert.equal(resultLabel({ outcome: 'fail', required: false }), 'warn');
    assert.equal(resultLabel({ outcome: 'fail', required: true }), 'fail');
  });
});
