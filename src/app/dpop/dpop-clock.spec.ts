import { HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { DpopClock } from './dpop-clock';
import { provideDpop, withClockSkewCorrection } from './provide-dpop';

const API = 'http://localhost:3001/api/users';

/** A `Date` header for a server clock `offsetMs` away from this device's. */
function dateHeader(offsetMs: number): HttpHeaders {
  return new HttpHeaders({ Date: new Date(Date.now() + offsetMs).toUTCString() });
}

describe('DpopClock', () => {
  function configure(enabled = true): DpopClock {
    TestBed.configureTestingModule({
      providers: [provideDpop(...(enabled ? [withClockSkewCorrection()] : []))],
    });
    return TestBed.inject(DpopClock);
  }

  it('measures the skew from a Date header, per origin, to about a second', () => {
    const clock = configure();
    expect(clock.observe(API, dateHeader(-600_000))).toBeTrue();
    expect(Math.abs(clock.offset(API) + 600_000)).toBeLessThan(1500);
    expect(Math.abs(clock.now(API) - (Date.now() - 600_000))).toBeLessThan(1500);
    // Another origin has its own clock.
    expect(clock.offset('http://localhost:3000/token')).toBe(0);
  });

  it('ignores a skew under the threshold (5 s): Date has a resolution of one second', () => {
    const clock = configure();
    clock.observe(API, dateHeader(2_000));
    expect(clock.offset(API)).toBe(0);
  });

  it('a later measurement under the threshold resets the offset (the device clock was fixed)', () => {
    const clock = configure();
    clock.observe(API, dateHeader(600_000));
    expect(clock.offset(API)).toBeGreaterThan(590_000);
    clock.observe(API, dateHeader(0));
    expect(clock.offset(API)).toBe(0);
  });

  it('says when there was no readable Date header, and keeps what it knew', () => {
    const clock = configure();
    clock.observe(API, dateHeader(600_000));
    expect(clock.observe(API, new HttpHeaders())).toBeFalse();
    expect(clock.observe(API, new HttpHeaders({ Date: 'yesterday-ish' }))).toBeFalse();
    expect(clock.offset(API)).toBeGreaterThan(590_000);
  });

  it('does nothing without withClockSkewCorrection()', () => {
    const clock = configure(false);
    expect(clock.enabled).toBeFalse();
    expect(clock.observe(API, dateHeader(600_000))).toBeFalse();
    expect(clock.offset(API)).toBe(0);
  });

  it('takes the threshold from withClockSkewCorrection({ thresholdSeconds })', () => {
    TestBed.configureTestingModule({
      providers: [provideDpop(withClockSkewCorrection({ thresholdSeconds: 60 }))],
    });
    const clock = TestBed.inject(DpopClock);
    clock.observe(API, dateHeader(30_000));
    expect(clock.offset(API)).toBe(0);
    clock.observe(API, dateHeader(90_000));
    expect(clock.offset(API)).toBeGreaterThan(85_000);
  });
});
