import { HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';

import { DPOP_CLOCK_SKEW } from './dpop-config';
import { defaultBase } from './htu-of';

/**
 * The time a proof's `iat` is taken from (RFC 9449 §4.2), corrected per server by the skew
 * measured from its `Date` response header (RFC 9110 §6.6.1) — with `withClockSkewCorrection()`.
 *
 * A server accepts a proof only if its `iat` is within a window of its own clock (§4.3 check 11,
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
  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The threshold below which a measured skew is ignored, in milliseconds. */
  get thresholdMs(): number {
    return this.config.thresholdSeconds * 1000;
  }

  /** Milliseconds since the epoch by the clock of the server at `url` (as far as it is known). */
  now(url: string): number {
    return Date.now() + this.offset(url);
  }

  /** The server's clock minus this device's clock in milliseconds; 0 while none is measured. */
  offset(url: string): number {
    const origin = originOf(url);
    return origin === null ? 0 : (this.offsets.get(origin) ?? 0);
  }

  /**
   * Measures the skew from the `Date` header of a response from `url`, received at `receivedAt`
   * (this device's clock). Returns whether the header was readable. A skew under the threshold
   * resets the origin's offset to 0.
   */
  observe(url: string, headers: HttpHeaders, receivedAt = Date.now()): boolean {
    if (!this.config.enabled) return false;
    const date = Date.parse(headers.get('Date') ?? '');
    const origin = originOf(url);
    if (Number.isNaN(date) || origin === null) return false;
    // `Date` is truncated to the second: the server's clock read somewhere in [date, date + 1 s).
    const skew = date + 500 - receivedAt;
    if (Math.abs(skew) < this.thresholdMs) {
      this.offsets.delete(origin);
    } else {
      this.offsets.set(origin, skew);
    }
    return true;
  }

  /** Forgets every measured offset. */
  reset(): void {
    this.offsets.clear();
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url, defaultBase()).origin;
  } catch {
    return null;
  }
}
