import { inject, Injectable } from '@angular/core';

import { DPOP_CLOCK_SKEW } from './dpop-config';
import { originOf } from './dpop-urls';

/**
 * The skew of this device's clock against each server, measured from the `Date` header of its
 * responses (RFC 9110 §6.6.1) — with `withClockSkewCorrection()` — so proofs carry an `iat` the
 * server accepts.
 *
 * A server accepts a proof only if its `iat` is within a window of its own clock (RFC 9449 §4.3,
 * §11.1), so a device clock minutes off makes every proof fail. The offset is kept per origin,
 * since each server judges `iat` by its own clock. Skews under the threshold are ignored: `Date`
 * has a resolution of one second and every server window is wider than that.
 *
 * A cross-origin server must list `Date` in `Access-Control-Expose-Headers`, or the browser hides it.
 */
@Injectable({ providedIn: 'root' })
export class DpopClock {
  private readonly config = inject(DPOP_CLOCK_SKEW);
  private readonly offsets = new Map<string, number>();

  /** Whether `withClockSkewCorrection()` is on. */
  readonly enabled = this.config.enabled;
  /** A change of the offset at least this large means the clock was off (milliseconds). */
  readonly thresholdMs = this.config.thresholdSeconds * 1000;

  /** The server's clock minus this device's clock in milliseconds; 0 while none is measured. */
  offset(url: string): number {
    const origin = originOf(url);
    return origin === null ? 0 : (this.offsets.get(origin) ?? 0);
  }

  /**
   * Measures the skew from the server's `Date` (epoch ms) of a response from `url`, received at
   * `receivedAt` by this device's clock. A skew under the threshold resets the offset to 0.
   */
  observe(url: string, date: number, receivedAt = Date.now()): void {
    const origin = originOf(url);
    if (!this.enabled || origin === null) return;
    // `Date` is truncated to the second: the server's clock read somewhere in [date, date + 1 s).
    const skew = date + 500 - receivedAt;
    if (Math.abs(skew) < this.thresholdMs) {
      this.offsets.delete(origin);
    } else {
      this.offsets.set(origin, skew);
    }
  }
}
