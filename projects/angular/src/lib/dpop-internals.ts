import { inject, Injectable, Injector } from '@angular/core';

import { DpopAllowList } from './dpop-allow-list';
import { DpopExchangeTap } from './exchange-tap';
import { loadRuntime } from './lazy-runtime';
import type { DpopKey } from './runtime/dpop-key';

/**
 * What `@dpop-lab/angular/devtools` reads of the core: exported as `ɵDpopInternals`, not public
 * API (it may change in any release). An app imports the devtools entry point instead.
 */
@Injectable({ providedIn: 'root' })
export class DpopInternals {
  readonly tap = inject(DpopExchangeTap);
  readonly allowList = inject(DpopAllowList);
  private readonly injector = inject(Injector);

  /** The key proofs are signed with (its public facts and `signJws`), loading it on first use. */
  async key(): Promise<DpopKey> {
    return this.injector.get((await loadRuntime()).DpopKeyStore).key();
  }
}
