/**
 * How the API's introspection calls reach the issuer (issue 19, finding 2):
 * - one call per token in flight: requests with the same token while it is being asked about wait
 *   for that answer instead of asking again;
 * - at most `maxConcurrent` calls at once, so a burst of new tokens cannot overwhelm the issuer
 *   (WSO2 rate-limits introspection per client, and the API would then fail closed for everyone);
 *   up to `maxWaiting` more wait their turn, each for at most `waitTimeoutMs`; beyond that, or
 *   after that, the request gets 503 and may retry.
 */
import { ServiceUnavailableError } from './errors.ts';

export interface IntrospectionQueueOptions {
  /** Introspection calls at once (default 8). */
  maxConcurrent?: number;
  /** Calls waiting for a turn (default 64). */
  maxWaiting?: number;
  /** How long a call waits for its turn (default 3 000 ms). */
  waitTimeoutMs?: number;
}

interface Waiter {
  start(): void;
  timer: NodeJS.Timeout;
}

const busy = (why: string) =>
  new ServiceUnavailableError(
    `This API is checking many new access tokens with the authorization server right now (${why}): retry in a few seconds with the same token and a new proof.`,
  );

export class IntrospectionQueue {
  readonly #flights = new Map<string, Promise<unknown>>();
  readonly #waiting: Waiter[] = [];
  readonly #maxConcurrent: number;
  readonly #maxWaiting: number;
  readonly #waitTimeoutMs: number;
  #running = 0;

  constructor({
    maxConcurrent = 8,
    maxWaiting = 64,
    waitTimeoutMs = 3_000,
  }: IntrospectionQueueOptions = {}) {
    this.#maxConcurrent = maxConcurrent;
    this.#maxWaiting = maxWaiting;
    this.#waitTimeoutMs = waitTimeoutMs;
  }

  /** Calls in flight or waiting, for tests. */
  get pending(): number {
    return this.#running + this.#waiting.length;
  }

  /** The answer being fetched for `hash`, if a call is in flight. */
  inFlight<T>(hash: string): Promise<T> | undefined {
    return this.#flights.get(hash) as Promise<T> | undefined;
  }

  /** Runs `call` for `hash` in its turn; later callers for the same `hash` get the same answer. */
  run<T>(hash: string, call: () => Promise<T>): Promise<T> {
    const existing = this.inFlight<T>(hash);
    if (existing) return existing;
    const flight = (async () => {
      await this.#acquire();
      try {
        return await call();
      } finally {
        this.#release();
      }
    })().finally(() => this.#flights.delete(hash));
    this.#flights.set(hash, flight);
    return flight;
  }

  async #acquire(): Promise<void> {
    if (this.#running < this.#maxConcurrent) {
      this.#running += 1;
      return;
    }
    if (this.#waiting.length >= this.#maxWaiting) {
      throw busy(`${this.#maxWaiting} token checks are waiting`);
    }
    // The slot is handed over by #release, so #running stays at the maximum meanwhile.
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const at = this.#waiting.indexOf(waiter);
          if (at >= 0) this.#waiting.splice(at, 1);
          reject(busy(`no turn within ${this.#waitTimeoutMs} ms`));
        }, this.#waitTimeoutMs),
      };
      this.#waiting.push(waiter);
    });
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next.start();
    else this.#running -= 1;
  }
}
