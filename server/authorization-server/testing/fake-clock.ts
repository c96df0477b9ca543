/** A clock a test moves by hand, for the store's and the login throttle's `now` option. */
export function fakeClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}
