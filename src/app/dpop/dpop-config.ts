import { InjectionToken } from '@angular/core';

import { DpopResource } from './dpop-resource';

/** The resources seeded into `DpopAllowList`; set by `withAllowList()`. Default: none. */
export const DPOP_ALLOW_LIST = new InjectionToken<readonly DpopResource[]>('DPOP_ALLOW_LIST', {
  providedIn: 'root',
  factory: () => [],
});

export interface DpopKeyStorageOptions {
  /** The IndexedDB database that holds the key pair. Default `dpop-lab`. */
  databaseName?: string;
}

/** Key storage configuration; set by `withKeyStorage()`. */
export const DPOP_KEY_STORAGE = new InjectionToken<Required<DpopKeyStorageOptions>>(
  'DPOP_KEY_STORAGE',
  { providedIn: 'root', factory: () => ({ databaseName: 'dpop-lab' }) },
);

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

/** The client's algorithm preference; set by `withAlgorithms()`. Default: all, ES256 first. */
export const DPOP_ALGORITHMS = new InjectionToken<readonly DpopAlgorithm[]>('DPOP_ALGORITHMS', {
  providedIn: 'root',
  factory: () => DPOP_SUPPORTED_ALGORITHMS,
});

/** Whether a key the browser refuses to store is replaced by a memory-only key; `withMemoryKeyFallback()`. */
export const DPOP_MEMORY_KEY_FALLBACK = new InjectionToken<boolean>('DPOP_MEMORY_KEY_FALLBACK', {
  providedIn: 'root',
  factory: () => false,
});

export interface DpopClockSkewOptions {
  /**
   * A measured skew below this many seconds is ignored (the `Date` header has a resolution of
   * one second, and every server window is wider than this). Default 5.
   */
  thresholdSeconds?: number;
}

/** Clock-skew correction of `iat`; enabled by `withClockSkewCorrection()`. */
export const DPOP_CLOCK_SKEW = new InjectionToken<{ enabled: boolean; thresholdSeconds: number }>(
  'DPOP_CLOCK_SKEW',
  { providedIn: 'root', factory: () => ({ enabled: false, thresholdSeconds: 5 }) },
);
