/**
 * How the Redis replay store reports an outage (./redis-replay-cache.ts): the first failure, then
 * at most one line per interval with the number of refused requests, and the recovery — never
 * one line per request.
 */
/** `connect ECONNREFUSED 127.0.0.1:6379`, `OOM command not allowed …`: what an operator can act on. */
export function describeError(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const text = cause.message || (cause as { code?: string }).code || 'no message';
  return cause.name && cause.name !== 'Error' ? `${cause.name}: ${text}` : text;
}

/** Outage bookkeeping and its log lines: the first failure, one line per interval, the recovery. */
export class OutageReport {
  #since: number | undefined;
  #lastLogAt = 0;
  #refusedSinceLog = 0;
  #refusedTotal = 0;

  constructor(
    private readonly where: string,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void,
    private readonly now: () => number,
  ) {}

  get ongoing(): boolean {
    return this.#since !== undefined;
  }

  failed(reason: string, refusedRequest: boolean): void {
    const now = this.now();
    if (refusedRequest) {
      this.#refusedSinceLog += 1;
      this.#refusedTotal += 1;
    }
    if (this.#since === undefined) {
      this.#since = now;
      this.#lastLogAt = now;
      this.log(
        `replay store ${this.where} is unavailable (${reason}): every DPoP request ` +
          `that passes the other checks gets 503 temporarily_unavailable until it is back; reconnecting.`,
      );
      return;
    }
    if (now - this.#lastLogAt >= this.intervalMs) {
      this.log(
        `replay store ${this.where} still unavailable after ${Math.round((now - this.#since) / 1000)} s ` +
          `(${reason}); ${this.#refusedSinceLog} DPoP requests refused with 503 since the last report.`,
      );
      this.#lastLogAt = now;
      this.#refusedSinceLog = 0;
    }
  }

  recovered(): void {
    if (this.#since === undefined) return;
    this.log(
      `replay store ${this.where} is available again after ${Math.round((this.now() - this.#since) / 1000)} s; ` +
        `${this.#refusedTotal} DPoP requests were refused with 503 meanwhile.`,
    );
    this.#since = undefined;
    this.#refusedSinceLog = 0;
    this.#refusedTotal = 0;
  }
}
