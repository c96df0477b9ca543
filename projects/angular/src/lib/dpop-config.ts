import { InjectionToken } from '@angular/core';

import type { DpopResource } from './dpop-allow-list';

/**
 * The JWS algorithms a DPoP proof may be signed with (RFC 9449 §4.2 `alg`), most preferred
 * first. ES256 is the one RFC 9449 §5 expects everywhere; the others are used only when a server
 * does not accept it and the browser's WebCrypto can make such a key.
 */
export type DpopAlgorithm = 'ES256' | 'EdDSA' | 'PS256' | 'RS256';

/** Every algorithm the DPoP core can sign with, in its default order of preference. */
export const DPOP_SUPPORTED_ALGORITHMS: readonly DpopAlgorithm[] = [
  'ES256',
  'EdDSA',
  'PS256',
  'RS256',
];

export interface DpopKeyStorageOptions {
  /** The IndexedDB database that holds the key pair. Default `dpop-keys`. */
  databaseName?: string;
  /**
   * When IndexedDB is missing or refuses the key (private modes, `DataCloneError`, a key that
   * does not come back), use a key kept in memory for this tab instead of failing. Default false.
   */
  memoryFallback?: boolean;
}

export const DEFAULT_KEY_STORAGE: Required<DpopKeyStorageOptions> = {
  databaseName: 'dpop-keys',
  memoryFallback: false,
};

export interface DpopClockSkewOptions {
  /**
   * A measured skew below this many seconds is ignored (the `Date` header has a resolution of
   * one second, and every server window is wider than this). Default 5.
   */
  thresholdSeconds?: number;
}

/** The clock-skew correction as the interceptor uses it; `enabled` by `withClockSkewCorrection()`. */
interface DpopClockSkew {
  enabled: boolean;
  thresholdSeconds: number;
}

export const DEFAULT_CLOCK_SKEW: DpopClockSkew = { enabled: false, thresholdSeconds: 5 };

// The configuration the withX() features set. Internal: apps configure through provideDpop().

export const DPOP_ALLOW_LIST = new InjectionToken<readonly DpopResource[]>('DPOP_ALLOW_LIST', {
  providedIn: 'root',
  factory: () => [],
});

export const DPOP_KEY_STORAGE = new InjectionToken<Required<DpopKeyStorageOptions>>(
  'DPOP_KEY_STORAGE',
  { providedIn: 'root', factory: () => DEFAULT_KEY_STORAGE },
);

export const DPOP_ALGORITHMS = new InjectionToken<readonly DpopAlgorithm[]>('DPOP_ALGORITHMS', {
  providedIn: 'root',
  factory: () => DPOP_SUPPORTED_ALGORITHMS,
});

export const DPOP_CLOCK_SKEW = new InjectionToken<DpopClockSkew>('DPOP_CLOCK_SKEW', {
  providedIn: 'root',
  factory: () => DEFAULT_CLOCK_SKEW,
});
