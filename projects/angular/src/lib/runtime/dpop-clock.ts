import { inject, Injectable } from '@angular/core';
import { ServerClocks } from '@dpop-lab/protocol';

import { DPOP_CLOCK_SKEW } from '../dpop-config';

/**
 * This device's clock against each server's, with `withClockSkewCorrection()`: the protocol's
 * `ServerClocks`, measured from the `Date` of every answer, so proofs carry an `iat` the server
 * accepts (RFC 9449 §4.3, §11.1). Off, every offset stays 0.
 *
 * A cross-origin server must list `Date` in `Access-Control-Expose-Headers`, or the browser hides it.
 */
@Injectable({ providedIn: 'root' })
export class DpopClock extends ServerClocks {
  /** Whether `withClockSkewCorrection()` is on. */
  readonly enabled: boolean;

  constructor() {
    const { enabled, thresholdSeconds } = inject(DPOP_CLOCK_SKEW);
    super({ thresholdSeconds });
    this.enabled = enabled;
  }

  override observe(url: string, date: number, receivedAt?: number): void {
    if (this.enabled) super.observe(url, date, receivedAt);
  }
}
