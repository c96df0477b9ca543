/**
 * Junk tokens cannot make the API flood the issuer with introspections (issue 19, finding 2).
 * Before, 1,000 random Bearer tokens caused 1,000 introspections, and one proof with a junk token
 * resent 300 times caused 300. Now a token the issuer called inactive is not asked about again for
 * seconds, one token is asked about once at a time, a proof copy cannot ask again, at most a few
 * calls run at once, and each client address may have only so many unseen tokens checked (429
 * past it). Addresses: every 127/8 address is loopback here, so "another address" is 127.0.0.x.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  harnessForSuite,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './testing/api-harness.ts';
import type { TestResponse } from './testing/http-client.ts';
import { activeAnswer } from './testing/introspection-answer.ts';

const REAL = 'real-opaque-token';

/** A test issuer whose introspection knows one token, counts every call and how many ran at once. */
function junkWorld(api: HarnessOptions['api'] = {}) {
  const stats = {
    calls: 0,
    running: 0,
    mostAtOnce: 0,
    /** While set, every answer waits for it. */
    hold: undefined as Promise<void> | undefined,
  };
  const h: Harness = harnessForSuite({
    shapes: ['opaque'],
    issuer: {
      introspection: async (token) => {
        stats.calls += 1;
        stats.running += 1;
        stats.mostAtOnce = Math.max(stats.mostAtOnce, stats.running);
        await stats.hold;
        stats.running -= 1;
        return token === REAL ? activeAnswer(h, { sub: 'alice' }) : { active: false };
      },
    },
    api: { log: () => undefined, ...api },
  });
  return { h, stats };
}

const random = () =>
  `junk-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

/** Sends `count` requests, `width` at a time; returns how many got each status. */
async function flood(count: number, width: number, send: (i: number) => Promise<TestResponse>) {
  const statuses: Record<number, number> = {};
  for (let start = 0; start < count; start += width) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(width, count - start) }, (_, i) => send(start + i)),
    );
    for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return statuses;
}

describe('1,000 random Bearer tokens and 300 copies of one proof with a junk token', () => {
  const { h, stats } = junkWorld();

  test('cause at most 100 introspections, and a real opaque token still works', async () => {
    const bearer = await flood(1_000, 20, () =>
      h.send({ headers: { authorization: `Bearer ${random()}` }, localAddress: '127.0.0.2' }),
    );
    const junkProof = await h.validHeaders({ accessToken: random() });
    const copies = await flood(300, 20, () =>
      h.send({ headers: junkProof, localAddress: '127.0.0.2' }),
    );
    assert.ok(stats.calls <= 100, `${stats.calls} introspections`);
    assert.equal(bearer[401]! + bearer[429]!, 1_000, JSON.stringify(bearer));
    assert.ok(
      bearer[429]! >= 900,
      `past its budget the address gets 429: ${JSON.stringify(bearer)}`,
    );
    assert.ok(
      Object.keys(copies).every((status) => status === '401' || status === '429'),
      JSON.stringify(copies),
    );

    const real = await h.send({ headers: await h.validHeaders({ accessToken: REAL }) });
    assert.equal(real.status, 200, real.text);
  });
});

describe('the limits one by one', () => {
  // No refill while the tests run, so the counts do not depend on how fast the machine is.
  const { h, stats } = junkWorld({ newTokenBudget: { refillMs: 3_600_000 } });

  test('300 copies of one proof with a junk token, 30 at a time: one introspection', async () => {
    const before = stats.calls;
    const headers = await h.validHeaders({ accessToken: random() });
    const statuses = await flood(300, 30, () => h.send({ headers, localAddress: '127.0.0.3' }));
    assert.equal(stats.calls - before, 1);
    assert.deepEqual(statuses, { 401: 300 });
  });

  test('a junk token resent as Bearer: asked about once, then again only after 10 s', async () => {
    const before = stats.calls;
    const headers = { authorization: `Bearer ${random()}` };
    const statuses = await flood(50, 10, () => h.send({ headers, localAddress: '127.0.0.4' }));
    assert.deepEqual(statuses, { 401: 50 });
    assert.equal(stats.calls - before, 1);
    h.clock.offsetMs += 10_000;
    try {
      assert.equal((await h.send({ headers, localAddress: '127.0.0.4' })).status, 401);
      assert.equal(stats.calls - before, 2);
    } finally {
      h.clock.offsetMs -= 10_000;
    }
  });

  test('an address past its budget of new tokens gets 429 with Retry-After; known tokens and other addresses go on', async () => {
    const from = '127.0.0.5';
    const real = await h.send({
      headers: await h.validHeaders({ accessToken: REAL }),
      localAddress: from,
    });
    assert.equal(real.status, 200, 'the real token is known from now on');
    const statuses = await flood(40, 10, () =>
      h.send({ headers: { authorization: `Bearer ${random()}` }, localAddress: from }),
    );
    assert.deepEqual(statuses, { 401: 29, 429: 11 });
    const refused = await h.send({
      headers: { authorization: `Bearer ${random()}` },
      localAddress: from,
    });
    assert.equal(refused.status, 429);
    assert.equal((refused.body as Record<string, unknown>)['error'], 'too_many_requests');
    assert.match(
      String((refused.body as Record<string, unknown>)['error_description']),
      /retry in \d+ s/,
    );
    assert.ok(Number(refused.headers['retry-after']) >= 1);

    const known = await h.send({
      headers: await h.validHeaders({ accessToken: REAL }),
      localAddress: from,
    });
    assert.equal(known.status, 200, known.text);
    const elsewhere = await h.send({
      headers: { authorization: `Bearer ${random()}` },
      localAddress: '127.0.0.6',
    });
    assert.equal(elsewhere.status, 401);
  });

  test('a known token due to be checked again costs no budget', async () => {
    const from = '127.0.0.7';
    for (let i = 0; i < 30; i += 1) {
      await h.send({ headers: { authorization: `Bearer ${random()}` }, localAddress: from });
    }
    h.clock.offsetMs += 31_000; // the answer about REAL is due to be asked again
    try {
      const before = stats.calls;
      const again = await h.send({
        headers: await h.validHeaders({ accessToken: REAL }),
        localAddress: from,
      });
      assert.equal(again.status, 200, again.text);
      assert.equal(stats.calls - before, 1);
    } finally {
      h.clock.offsetMs -= 31_000;
    }
  });
});

describe('introspections at once', () => {
  const { h, stats } = junkWorld({
    introspectionQueue: { maxConcurrent: 4, maxWaiting: 8, waitTimeoutMs: 60_000 },
    newTokenBudget: { burst: 1_000 },
  });

  test('40 new tokens at once: 4 calls run, 8 wait their turn, the other 28 get 503 at once', async () => {
    let release = () => undefined as void;
    stats.hold = new Promise<void>((resolve) => (release = resolve));
    const statuses: Record<number, number> = {};
    let answered = 0;
    let allBusyAnswered = () => undefined as void;
    const busyAnswered = new Promise<void>((resolve) => (allBusyAnswered = resolve));
    const requests = Array.from({ length: 40 }, async () => {
      const { status } = await h.send({ headers: { authorization: `Bearer ${random()}` } });
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (++answered === 28) allBusyAnswered();
    });
    await busyAnswered; // while the first four are held, only refusals can come back
    assert.deepEqual(statuses, { 503: 28 });
    assert.equal(stats.running, 4);
    stats.hold = undefined;
    release();
    await Promise.all(requests);
    assert.deepEqual(statuses, { 401: 12, 503: 28 });
    assert.equal(stats.mostAtOnce, 4);
  });
});

test('with Bearer off (another issuer), a random Bearer token causes no introspection at all', async () => {
  let calls = 0;
  const h = await startHarness({
    shapes: ['opaque'],
    embeddedIssuer: 'http://embedded.dpop-lab.test',
    issuer: { introspection: () => ((calls += 1), { active: false }) },
    api: { log: () => undefined },
  });
  try {
    const answer = await h.send({ headers: { authorization: `Bearer ${random()}` } });
    assert.equal(answer.status, 401);
    assert.equal(calls, 0);
  } finally {
    await h.close();
  }
});
