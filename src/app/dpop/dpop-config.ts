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
