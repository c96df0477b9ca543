import { TestBed } from '@angular/core/testing';

import { DpopClock } from './dpop-clock';
import { provideDpop, withClockSkewCorrection } from '../provide-dpop';

const API = 'http://localhost:3001/api/users';

/** A server's `Date` (epoch ms, truncated to the second) `offsetMs` away from this device's clock. */
function serverDate(offsetMs: number): number {
  return Date.parse(new Date(Date.now() + offsetMs).toUTCString());
}

describe('DpopClock', () => {
  function configure(...features: ReturnType<typeof withClockSkewCorrection>[]): DpopClock {
    TestBed.configureTestingModule({ providers: [provideDpop(...features)] });
    return TestBed.inject(DpopClock);
  }

  it('measures the skew from a Date header, per origin, to about a second', () => {
    const clock = configure(withClockSkewCorrection());
    clock.observe(API, serverDate(-600_000));
    expect(Math.abs(clock.offset(API) + 600_000)).toBeLessThan(1500);
    // Another origin has its own clock.
    expect(clock.offset('http://localhost:3000/token')).toBe(0);
  });

  it('ignores a skew under the threshold (5 s): Date has a resolution of one second', () => {
    const clock = configure(withClockSkewCorrection());
    clock.observe(API, serverDate(2_000));
    expect(clock.offset(API)).toBe(0);
  });

  it('a later measurement under the threshold resets the offset (the device clock was fixed)', () => {
    const clock = configure(withClockSkewCorrection());
    clock.observe(API, serverDate(600_000));
    expect(clock.offset(API)).toBeGreaterThan(590_000);
    clock.observe(API, serverDate(0));
    expect(clock.offset(API)).toBe(0);
  });

  it('does nothing without withClockSkewCorrection()', () => {
    const clock = configure();
    expect(clock.enabled).toBeFalse();
    clock.observe(API, serverDate(600_000));
    expect(clock.offset(API)).toBe(0);
  });

  it('takes the threshold from withClockSkewCorrection({ thresholdSeconds })', () => {
    const clock = configure(withClockSkewCorrection({ thresholdSeconds: 60 }));
    clock.observe(API, serverDate(30_000));
    expect(clock.offset(API)).toBe(0);
    clock.observe(API, serverDate(90_000));
    expect(clock.offset(API)).toBeGreaterThan(85_000);
  });
});
