/**
 * Slows, then stops, repeated wrong passwords (OWASP Authentication Cheat Sheet, "Login
 * Throttling"; NIST SP 800-63B §5.2.2): counted per account name and per client address.
 *
 * | failures in a row | account name         | client address        |
 * | ----------------- | -------------------- | --------------------- |
 * | up to 3 / 10      | no wait              | no wait               |
 * | then              | 1 s, 2 s, 4 s … 60 s | 1 s, 2 s, 4 s … 60 s  |
 * | 10 / 30           | locked for 5 minutes | locked for 5 minutes  |
 *
 * A sign-in during the wait is refused before the password is looked at (so waiting cannot be
 * skipped by sending guesses in parallel), with the time left. An account name that does not
 * exist is counted exactly like one that does, so the answers say nothing about which exist.
 * A correct password clears its account name's count, not the address's; a count is forgotten
 * after 15 minutes without a failure. At most `maxTracked` names and addresses are remembered
 * (the least recently failed go first), so the throttle's memory is bounded too.
 */
import { createHash } from 'node:crypto';

import { clientAddressKey } from './client-address.ts';

export interface LoginThrottleOptions {
  /** The clock, in milliseconds since the epoch (tests). */
  now?: () => number;
  /** Names and addresses remembered at most (default 10 000). */
  maxTracked?: number;
}

interface Policy {
  /** Failures allowed before the first wait. */
  free: number;
  /** Failures that lock out. */
  lockoutAfter: number;
}

const ACCOUNT: Policy = { free: 3, lockoutAfter: 10 };
/** Higher: one address may be a whole office, or a family, behind one router. */
const ADDRESS: Policy = { free: 10, lockoutAfter: 30 };
const MAX_WAIT_SECONDS = 60;
const LOCKOUT_SECONDS = 5 * 60;
const FORGET_AFTER_MS = 15 * 60 * 1000;

interface Count {
  failures: number;
  lastFailure: number;
  /** No sign-in is looked at before this time (ms since the epoch). */
  blockedUntil: number;
}

/** Seconds to wait after `failures` failures in a row under `policy` (0: none). */
function waitAfter(failures: number, policy: Policy): number {
  if (failures >= policy.lockoutAfter) return LOCKOUT_SECONDS;
  if (failures <= policy.free) return 0;
  return Math.min(2 ** (failures - policy.free - 1), MAX_WAIT_SECONDS);
}

export function createLoginThrottle({
  now = Date.now,
  maxTracked = 10_000,
}: LoginThrottleOptions = {}) {
  /** Least recently failed first. */
  const counts = new Map<string, Count>();

  // Names are hashed: bounded memory whatever was typed, and no list of typed passwords-as-names.
  const accountKey = (username: string) =>
    `account:${createHash('sha256').update(username.trim().toLowerCase()).digest('base64url')}`;
  const addressKey = (address: string) => `address:${clientAddressKey(address)}`;

  function current(key: string): Count | undefined {
    const count = counts.get(key);
    if (count && now() - count.lastFailure > FORGET_AFTER_MS && now() >= count.blockedUntil) {
      counts.delete(key);
      return undefined;
    }
    return count;
  }

  function fail(key: string, policy: Policy): number {
    const count = current(key) ?? { failures: 0, lastFailure: 0, blockedUntil: 0 };
    count.failures++;
    count.lastFailure = now();
    const wait = waitAfter(count.failures, policy);
    count.blockedUntil = now() + wait * 1000;
    counts.delete(key); // to the end: the most recently failed
    counts.set(key, count);
    while (counts.size > maxTracked) counts.delete(counts.keys().next().value!);
    return wait;
  }

  return {
    /** Seconds before a sign-in as `username` from `address` is looked at; 0: now. */
    waitFor(username: string, address: string): number {
      const until = Math.max(
        current(accountKey(username))?.blockedUntil ?? 0,
        current(addressKey(address))?.blockedUntil ?? 0,
      );
      return Math.max(0, Math.ceil((until - now()) / 1000));
    },
    /** Counts a wrong password; the seconds to wait before the next sign-in (0: none). */
    failed(username: string, address: string): number {
      return Math.max(fail(accountKey(username), ACCOUNT), fail(addressKey(address), ADDRESS));
    },
    /** A correct password: the account name's count starts again. */
    succeeded(username: string): void {
      counts.delete(accountKey(username));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
