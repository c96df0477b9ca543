import { Injectable, signal } from '@angular/core';

import type { DpopError } from './dpop-error';

/** Where the key pair lives: IndexedDB (survives reloads), memory only, or not known yet. */
export type DpopKeyStorage = 'indexeddb' | 'memory' | 'unknown';

/**
 * Where the key lives and why, as signals a page can read from the start. The key store, which
 * loads on first use, sets them.
 */
@Injectable({ providedIn: 'root' })
export class DpopKeyStatus {
  readonly storage = signal<DpopKeyStorage>('unknown');
  /** Why the key is memory-only (the storage failure), while `storage()` is `'memory'`. */
  readonly problem = signal<DpopError | null>(null);
}
