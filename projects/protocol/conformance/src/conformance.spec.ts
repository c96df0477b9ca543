/**
 * The shared catalogue on its own, against servers made of a `fetch` function: how answers are
 * read, how verdicts and the summary come out, when a run stops, and how nonces are followed.
 * The command's tests run it against real servers (server/cli/conformance.spec.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { decodeJwt, decodeProtectedHeader } from 'jose';

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
  /** The proof's protected header. */
  header?: Record<string, unknown>;
  authorization: string | null;
}

/** A server as a function of what it was sent; records every request. */
function fakeServer(answer: (seen: Seen, index: number) => Response | Promise<Response>) {
  const requests: Seen[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const dpop = headers.get('dpop');
    let proof: Record<string, unknown> | undefined;
    let header: Record<string, unknown> | undefined;
    try {
      proof = dpop ? decodeJwt(dpop) : undefined;
      header = dpop ? decodeProtectedHeader(dpop) : undefined;
    } catch {
      proof = undefined;
    }
    const seen = { proof, header, authorization: headers.get('authorization') };
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

const run = (
  fetch: typeof globalThis.fetch,
  options: Partial<Parameters<typeof runConformance>[0]> = {},
) => runConformance({ url: URL_, key, accessToken: 'token-1', fetch, ...options });

/** The server nonce, which rolls over when told; proofs without it are challenged. */
function nonceServer(rollOverAt = -1) {
  let current = 'n-1';
  return fakeServer((seen, index) => {
    if (index === rollOverAt) current = 'n-2';
    const nonce = { 'DPoP-Nonce': current };
    if (seen.proof?.['nonce'] !== current) return refuse('use_dpop_nonce', nonce);
    return seen.proof['htm'] === 'GET' && seen.proof['jti'] !== 'x'
      ? new Response('[]', { status: 200, headers: nonce })
      : refuse('invalid_dpop_proof', nonce);
  });
}

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
    const report = await run(server.fetch, { onResult: (row) => rows.push(row.id) });
    assert.deepEqual(
      rows,
      CONFORMANCE_CHECKS.map((check) => check.id),
    );
    const results = byId(report.results);
    assert.equal(results.get('correct-request')?.outcome, 'pass');
    assert.equal(results.get('no-typ')?.note, 'accepted it');
    assert.equal(results.get('replay-race')?.observed, '20 × 200');
    assert.equal(results.get('nonce-bogus')?.outcome, 'n/a');
    for (const id of ['htu-without-query', 'iat-10s-after', 'lowercase-scheme', 'still-works']) {
      assert.equal(results.get(id)?.outcome, 'pass', id);
    }
    assert.equal(report.passed, false);
    assert.match(
      summaryOf(report),
      /^42 checks: 10 pass, 22 fail, 6 warn, 4 not applicable\. 22 required checks fail: No Authorization header; .* Warnings, no security impact \(--strict fails them\): Two DPoP headers; Proof without jti; Proof without htm; Proof without htu; Proof whose jwk holds a private key \(d\); Proof with htm in lower case\.$/,
    );
  });

  test('fails what someone without the key could use, labelled; warns on what only the key holder can send', async () => {
    const report = await run(fakeServer(ok).fetch);
    const results = byId(report.results);
    const replay = results.get('reused-jti');
    assert.equal(resultLabel(replay!), 'fail');
    assert.equal(replay?.level, 'MAY', 'RFC 9449 §11.1: servers "can" store jti');
    assert.deepEqual(replay?.profile, { name: 'FAPI 2.0', verdict: 'warns' });
    assert.equal(replay?.impact, 'exploitable');
    assert.match(replay?.risk ?? '', /^Replay: a captured request can be sent again/);
    assert.equal(
      results.get('iat-hour-past')?.required,
      true,
      'without nonces an old proof is a risk',
    );

    const htm = results.get('lowercase-htm');
    assert.equal(resultLabel(htm!), 'warn');
    assert.equal(htm?.level, 'MUST');
    assert.equal(htm?.impact, 'harmless');
    assert.match(htm?.risk ?? '', /only the holder of the key/);
    assert.equal(resultLabel(results.get('alg-none')!), 'fail');
    assert.match(results.get('alg-none')?.risk ?? '', /^Forged proof/);
  });

  test('--strict fails every deviation, the harmless ones too', async () => {
    const report = await run(fakeServer(ok).fetch, { strict: true });
    assert.equal(report.strict, true);
    assert.equal(resultLabel(byId(report.results).get('lowercase-htm')!), 'fail');
    assert.ok(report.results.every((r) => r.required));
    assert.match(summaryOf(report), /^42 checks: 10 pass, 28 fail, 4 not applicable\. 28 required/);
  });

  test('a refusal with the wrong status exposes nothing: it only warns', async () => {
    const forbidsUnsigned = fakeServer((seen) =>
      seen.header?.['alg'] === 'none' ? new Response('', { status: 403 }) : ok(),
    );
    const unsigned = byId((await run(forbidsUnsigned.fetch)).results).get('alg-none');
    assert.equal(unsigned?.outcome, 'fail');
    assert.equal(unsigned?.note, 'a refusal is 401 (or 400 for a malformed request)');
    assert.equal(unsigned?.impact, 'harmless');
    assert.equal(resultLabel(unsigned!), 'warn');
  });

  test("another server's nonce must come from another origin; the same origin's is n/a", async () => {
    const sameOrigin = await run(nonceServer().fetch, {
      foreignNonce: { value: 'n-other', issuedBy: 'https://api.example.test/token' },
    });
    const skipped = byId(sameOrigin.results).get('nonce-foreign');
    assert.equal(skipped?.outcome, 'n/a');
    assert.match(
      skipped?.note ?? '',
      /on this server's own origin \(https:\/\/api\.example\.test\)/,
    );

    const otherOrigin = await run(nonceServer().fetch, {
      foreignNonce: { value: 'n-other', issuedBy: 'https://as.example.test/token' },
    });
    const tried = byId(otherOrigin.results).get('nonce-foreign');
    assert.equal(tried?.outcome, 'pass');
    assert.equal(tried?.note, 'the nonce of https://as.example.test/token');
  });

  test('follows the server nonce: one retry after use_dpop_nonce, none in the nonce checks', async () => {
    const server = nonceServer(20); // the nonce rolls over in the middle of the run
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
    assert.match(results.get('iat-hour-past')?.risk ?? '', /nonce already limits/);
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
    assert.equal(report.results[0]?.impact, 'inconclusive', 'a run that proves nothing fails');
    assert.equal(report.passed, false);
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
});
