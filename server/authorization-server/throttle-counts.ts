/**
 * Failure counts for one kind of key of the login throttle (login-throttle.ts) — account names,
 * addresses, (account, address) pairs, devices — under one policy, in a bounded map.
 *
 * | failures in a row | wait before the next attempt is looked at              |
 * | ----------------- | ------------------------------------------------------- |
 * | up to `free`      | none                                                    |
 * | then              | 1 s, 2 s, 4 s … up to `maxWait`                         |
 * | `lockoutAfter`    | locked for 5 minutes (never, for a policy without one)  |
 *
 * After a lockout the count decays: the next failure counts from `free` again (a wait of a
 * second), not from the lockout, so one wrong password every 5 minutes cannot keep a key locked
 * for ever. A count is forgotten after 15 minutes without a failure.
 *
 * Memory: at most `maxTracked` keys, the least recently failed forgotten first — but never one
 * whose wait or lockout is running (OWASP: a lock that can be flushed out of memory is no lock).
 * When every key held is waiting, newcomers share one count until room comes back, so a flood of
 * new keys throttles itself rather than going uncounted.
 */
export interface ThrottlePolicy {
  /** Failures allowed before the first wait. */
  free: number;
  /** Failures that lock out for LOCKOUT_SECONDS; Infinity: never. */
  lockoutAfter: number;
  /** The longest wait before a lockout, in seconds. */
  maxWait: number;
}

export const LOCKOUT_SECONDS = 5 * 60;
const FORGET_AFTER_MS = 15 * 60 * 1000;

interface Count {
  failures: number;
  lastFailure: number;
  /** No attempt is looked at before this time (ms since the epoch). */
  blockedUntil: number;
}

/** Seconds to wait after `failures` failures in a row under `policy` (0: none). */
function waitAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures >= policy.lockoutAfter) return LOCKOUT_SECONDS;
  if (failures <= policy.free) return 0;
  return Math.min(2 ** (failures - policy.free - 1), policy.maxWait);
}

export function createThrottleCounts(
  policy: ThrottlePolicy,
  { now, maxTracked }: { now: () => number; maxTracked: number },
) {
  /** Least recently failed first. */
  const counts = new Map<string, Count>();
  /** The newcomers' count while every key held is waiting. */
  const overflow: Count = { failures: 0, lastFailure: 0, blockedUntil: 0 };
  /** Until then every key held is waiting (a pass found none to forget): skip the next pass. */
  let fullUntil = 0;

  const forgotten = (count: Count) =>
    now() - count.lastFailure > FORGET_AFTER_MS && now() >= count.blockedUntil;
  const full = () => counts.size >= maxTracked && now() < fullUntil;

  function current(key: string): Count | undefined {
    const count = counts.get(key);
    if (count && forgotten(count)) {
      counts.delete(key);
      return undefined;
    }
    return count;
  }

  /** Forgets the least recently failed key that is not waiting; false if every key is. */
  function makeRoom(): boolean {
    let earliest = Infinity;
    for (const [key, count] of counts) {
      if (count.blockedUntil <= now()) {
        counts.delete(key);
        return true;
      }
      earliest = Math.min(earliest, count.blockedUntil);
    }
    fullUntil = earliest;
    return false;
  }

  /** The count a failure for `key` adds to: its own, or the newcomers' when there is no room. */
  function countFor(key: string): Count {
    const existing = current(key);
    if (existing) return existing;
    if (counts.size >= maxTracked && (full() || !makeRoom())) {
      if (forgotten(overflow)) overflow.failures = 0;
      return overflow;
    }
    const fresh: Count = { failures: 0, lastFailure: 0, blockedUntil: 0 };
    counts.set(key, fresh);
    return fresh;
  }

  return {
    /** When the next attempt for `key` may be looked at (ms since the epoch; ≤ now: at once). */
    blockedUntil(key: string): number {
      const count = current(key) ?? (full() ? overflow : undefined);
      return count?.blockedUntil ?? 0;
    },
    /** Counts a failure for `key`; the seconds to wait before its next attempt (0: none). */
    fail(key: string): number {
      const count = countFor(key);
      const decayed = count.failures >= policy.lockoutAfter && now() >= count.blockedUntil;
      count.failures = (decayed ? policy.free : count.failures) + 1;
      count.lastFailure = now();
      const wait = waitAfter(count.failures, policy);
      count.blockedUntil = now() + wait * 1000;
      if (counts.get(key) === count) {
        counts.delete(key); // to the end: the most recently failed
        counts.set(key, count);
      }
      return wait;
    },
    /** Starts `key`'s count again (a correct password). */
    clear(key: string): void {
      counts.delete(key);
    },
  };
}

export type ThrottleCounts = ReturnType<typeof createThrottleCounts>;
