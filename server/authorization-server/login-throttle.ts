/**
 * Slows, then stops, repeated wrong passwords (OWASP Authentication Cheat Sheet, "Login
 * Throttling" and "Account Lockout"; NIST SP 800-63B §5.2.2), without handing a guesser a way to
 * lock the account's owner out. Each attempt is counted under several keys, each with its own
 * policy and its own bounded memory (throttle-counts.ts):
 *
 * | counted per                                  | free | then waits up to | locked (5 min) at |
 * | -------------------------------------------- | ---- | ---------------- | ----------------- |
 * | account name and address (an IPv6 /64)       | 3    | 60 s             | 10                |
 * | account name, from every address             | 10   | 8 s              | never             |
 * | address (every name; an office may share one) | 10   | 60 s             | 30                |
 * | IPv6 /48 (every name, every /64 in it)       | 30   | 60 s             | 90                |
 * | account name on a trusted browser (device)   | 3    | 60 s             | 10                |
 *
 * So a guesser's address is locked out of an account after ten tries, while the account itself
 * only ever makes everyone wait a few seconds. A browser that has signed in as that account
 * before carries a device cookie (device-cookies.ts) and is counted by that cookie alone: other
 * addresses' failures, even from its own network, do not hold it back (OWASP "device cookies").
 *
 * A sign-in during a wait is refused before the password is looked at (so waiting cannot be
 * skipped by sending guesses in parallel), with the time left. An account name that does not
 * exist is counted exactly like one that does, so the answers say nothing about which exist. A
 * correct password clears its name's count for that address or device, not the others.
 */
import { accountNameKey } from './account-name.ts';
import { clientAddressKey, clientNetworkKey } from './client-address.ts';
import { createThrottleCounts, type ThrottlePolicy } from './throttle-counts.ts';

export interface LoginThrottleOptions {
  /** The clock, in milliseconds since the epoch (tests). */
  now?: () => number;
  /** Keys of each kind remembered at most (default 10 000). */
  maxTracked?: number;
}

/** One sign-in attempt: the name typed, the client's address, the device cookie's id if valid. */
export interface LoginAttempt {
  username: string;
  address: string;
  /** The id of a device cookie valid for this name (device-cookies.ts). */
  device?: string;
}

const PAIR: ThrottlePolicy = { free: 3, lockoutAfter: 10, maxWait: 60 };
const ACCOUNT: ThrottlePolicy = { free: 10, lockoutAfter: Infinity, maxWait: 8 };
const ADDRESS: ThrottlePolicy = { free: 10, lockoutAfter: 30, maxWait: 60 };
const NETWORK: ThrottlePolicy = { free: 30, lockoutAfter: 90, maxWait: 60 };

export function createLoginThrottle({
  now = Date.now,
  maxTracked = 10_000,
}: LoginThrottleOptions = {}) {
  const counted = (policy: ThrottlePolicy) => createThrottleCounts(policy, { now, maxTracked });
  const pairs = counted(PAIR);
  const accounts = counted(ACCOUNT);
  const addresses = counted(ADDRESS);
  const networks = counted(NETWORK);
  const devices = counted(PAIR);

  /** Each count an attempt is held by and adds to, with its key. */
  function countsOf({ username, address, device }: LoginAttempt) {
    const account = accountNameKey(username);
    if (device !== undefined) return [{ counts: devices, key: `${account}|${device}` }];
    const network = clientNetworkKey(address);
    return [
      { counts: pairs, key: `${account}|${clientAddressKey(address)}` },
      { counts: accounts, key: account },
      { counts: addresses, key: clientAddressKey(address) },
      ...(network === undefined ? [] : [{ counts: networks, key: network }]),
    ];
  }

  return {
    /** Seconds before this attempt may be looked at; 0: now. */
    waitFor(attempt: LoginAttempt): number {
      const until = Math.max(
        0,
        ...countsOf(attempt).map(({ counts, key }) => counts.blockedUntil(key)),
      );
      return Math.max(0, Math.ceil((until - now()) / 1000));
    },
    /** Counts a wrong password; the seconds to wait before the next attempt (0: none). */
    failed(attempt: LoginAttempt): number {
      return Math.max(...countsOf(attempt).map(({ counts, key }) => counts.fail(key)));
    },
    /** A correct password: its name's count from this address or device starts again. */
    succeeded(attempt: LoginAttempt): void {
      const [own] = countsOf(attempt);
      own?.counts.clear(own.key);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
