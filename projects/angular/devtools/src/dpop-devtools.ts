import { inject, Injectable, provideEnvironmentInitializer } from '@angular/core';
import {
  ɵDpopInternals as DpopInternals,
  type DpopFeature,
  type DpopResource,
  type ɵDpopExchange as DpopExchange,
  type ɵDpopKey as DpopKey,
} from '@dpop-lab/angular';
import { Observable } from 'rxjs';

/**
 * What an inspector or a lab reads of the DPoP core, beside what sign-in code uses (`Dpop`): the
 * exchanges the interceptor sent, the key's public facts, signing by hand. The private key stays
 * inside the core: `key()` gives a `ProofKey`, which signs and never hands it out.
 */
@Injectable({ providedIn: 'root' })
export class DpopDevtools {
  private readonly internals = inject(DpopInternals);

  /**
   * Every attempt the interceptor sends, with its proof and the answer (never the access token);
   * a new subscriber first gets the latest 60. Kept from the first injection of this service on,
   * or from start-up with `withDpopDevtools()`.
   */
  readonly exchanges: Observable<DpopExchange> = this.internals.tap.open();

  /**
   * The key proofs are signed with: `algorithm`, `publicJwk`, `thumbprint`, `extractable` (false),
   * and signing by hand with `signProof(key, …)` from @dpop-lab/protocol (a replay, a proof with
   * an old `iat`).
   */
  key(): Promise<DpopKey> {
    return this.internals.key();
  }

  /** The allow-listed resource a request URL belongs to (what gets a token and a proof), or null. */
  resourceFor(url: string): DpopResource | null {
    return this.internals.allowList.match(url);
  }
}

/**
 * `provideDpop(..., withDpopDevtools())`: keeps the interceptor's exchanges from start-up, so an
 * inspector opened later shows the requests made before it.
 */
export function withDpopDevtools(): DpopFeature<'devtools'> {
  return {
    kind: 'devtools',
    providers: [provideEnvironmentInitializer(() => inject(DpopDevtools))],
  };
}
