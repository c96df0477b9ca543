import { originOf } from './htu.ts';

/** Skews below this are ignored: `Date` has a resolution of one second, and every window is wider. */
const DEFAULT_THRESHOLD_SECONDS = 5;
const DEFAULT_MAX_ORIGINS = 100;

/**
 * This device's clock against each server's, measured from the `Date` header of its responses
 * (RFC 9110 §6.6.1), so proofs carry an `iat` the server accepts.
 *
 * A server accepts a proof only if its `iat` is within a window of its own clock (RFC 9449 §4.3,
 * §11.1), so a device clock minutes off fails every proof. Kept per origin, since each server
 * judges `iat` by its own clock; bounded like `NonceCache`.
 */
export class ServerClocks {
  private readonly offsets = new Map<string, number>();
  /** A change of the offset at least this large means the clock was off (milliseconds). */
  readonly thresholdMs: number;
  private readonly maxOrigins: number;

  constructor({
    thresholdSeconds = DEFAULT_THRESHOLD_SECONDS,
    maxOrigins = DEFAULT_MAX_ORIGINS,
  }: { thresholdSeconds?: number; maxOrigins?: number } = {}) {
    this.thresholdMs = thresholdSeconds * 1000;
    this.maxOrigins = maxOrigins;
  }

  /** The server's clock minus this device's, in milliseconds; 0 while none is measured. */
  offset(url: string | URL): number {
    const origin = originOf(url);
    return origin === null ? 0 : (this.offsets.get(origin) ?? 0);
  }

  /** `iat` for a proof to `url`: now by the server's clock, in seconds. */
  iat(url: string | URL, now = Date.now()): number {
    return Math.floor((now + this.offset(url)) / 1000);
  }

  /**
   * Measures the skew from the server's `Date` (epoch ms) of a response from `url`, received at
   * `receivedAt` by this device's clock. A skew under the threshold counts as none.
   */
  observe(url: string | URL, date: number, receivedAt = Date.now()): void {
    const origin = originOf(url);
    if (origin === null) return;
    // `Date` is truncated to the second: the server's clock read somewhere in [date, date + 1 s).
    const skew = date + 500 - receivedAt;
    this.offsets.delete(origin);
    if (Math.abs(skew) >= this.thresholdMs) {
      this.offsets.set(origin, skew);
      if (this.offsets.size > this.maxOrigins) {
        this.offsets.delete(this.offsets.keys().next().value!);
      }
    }
  }

  /** Whether the offset for `url` moved by the threshold or more since it was `offsetThen`. */
  movedSince(url: string | URL, offsetThen: number): boolean {
    return Math.abs(this.offset(url) - offsetThen) >= this.thresholdMs;
  }
}
