/**
 * The introspection queue on its own (./introspection-queue.ts): one call per token in flight, a
 * few at once, a bounded number waiting; beyond that, or after waiting too long, 503.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ServiceUnavailableError } from './errors.ts';
import { IntrospectionQueue } from './introspection-queue.ts';

/** A call that answers when told to. */
function heldCall() {
  let answer = (_value: string) => undefined as void;
  let calls = 0;
  const call = () => {
    calls += 1;
    return new Promise<string>((resolve) => (answer = resolve));
  };
  return { call, answer: (value: string) => answer(value), calls: () => calls };
}

test('one call per token in flight: later callers get the same answer', async () => {
  const queue = new IntrospectionQueue();
  const held = heldCall();
  const first = queue.run('token-a', held.call);
  const second = queue.run('token-a', held.call);
  await Promise.resolve();
  held.answer('active');
  assert.deepEqual(await Promise.all([first, second]), ['active', 'active']);
  assert.equal(held.calls(), 1);
  assert.equal(queue.inFlight('token-a'), undefined, 'forgotten once answered');
});

test('past the calls at once and the waiting room: 503 at once; a waiter too long: 503', async () => {
  const queue = new IntrospectionQueue({ maxConcurrent: 1, maxWaiting: 1, waitTimeoutMs: 20 });
  const held = heldCall();
  const running = queue.run('a', held.call);
  const waiting = queue.run('b', async () => 'b');
  await assert.rejects(
    queue.run('c', async () => 'c'),
    ServiceUnavailableError,
  );
  await assert.rejects(waiting, (error: Error) => {
    assert.ok(error instanceof ServiceUnavailableError);
    assert.match(error.message, /no turn within 20 ms/);
    return true;
  });
  held.answer('a');
  assert.equal(await running, 'a');
  assert.equal(await queue.run('d', async () => 'd'), 'd', 'the slot was given back');
  assert.equal(queue.pending, 0);
});
