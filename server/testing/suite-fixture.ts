/**
 * One line in a `describe` for what its tests share: `start()` runs before the first test, and
 * the thing it made is closed after the last one.
 *
 *   describe('…', () => {
 *     const as = suiteFixture(() => startTestAuthorizationServer());
 *     it('…', () => fetch(as.issuer));
 *
 * The object returned stands for the one `start()` makes (a Proxy reads through to it), so tests
 * use it directly; touching it outside a test, before the suite started, throws.
 */
import { after, before } from 'node:test';

export function suiteFixture<T extends { close(): Promise<void> }>(start: () => Promise<T>): T {
  let started: T | undefined;
  before(async () => {
    started = await start();
  });
  after(() => started?.close());
  return new Proxy({} as T, {
    get(_target, name) {
      if (!started) throw new Error(`suiteFixture: read .${String(name)} before the suite started`);
      return Reflect.get(started, name, started);
    },
  });
}
