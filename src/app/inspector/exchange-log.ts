import { inject, Injectable } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { BehaviorSubject, Observable } from 'rxjs';

import { DpopDevtools, DpopExchange } from '@dpop-lab/angular/devtools';

/**
 * An exchange as the inspector keeps it: what the DPoP interceptor reported (or the bearer
 * comparison's, which sends no proof), and when (`at`).
 */
export interface LoggedExchange extends Omit<DpopExchange, 'requestId' | 'proof' | 'scheme'> {
  /** The same for a request's first attempt and its retries. */
  requestId: string;
  proof: string | null;
  scheme: 'DPoP' | 'Bearer' | null;
}

/** How many attempts the log keeps (the oldest go first). */
export const EXCHANGE_LOG_SIZE = 60;

/**
 * Records what the interceptors handled, so the inspector can show requests made before it was
 * opened: it loads with the inspector (or the bearer comparison) and starts from the latest
 * exchanges `Dpop.exchanges` replays. It holds only what that carries (method, URL, status, the
 * proof — public, single-use data — the server's error and nonce), never an access token.
 */
@Injectable({ providedIn: 'root' })
export class ExchangeLog {
  // An observable rather than a signal, so readers need no effect(): every Angular core feature a
  // lazy page uses lands in the initial bundle (core is one module), and nothing else uses effect.
  private readonly entries = new BehaviorSubject<readonly LoggedExchange[]>([]);
  private lastBearerRequest = 0;

  /** Newest first; emits the current list on subscribe and after every change. */
  readonly exchanges: Observable<readonly LoggedExchange[]> = this.entries.asObservable();

  constructor() {
    inject(DpopDevtools)
      .exchanges.pipe(takeUntilDestroyed())
      .subscribe((exchange) =>
        this.record({ ...exchange, requestId: `dpop-${exchange.requestId}` }),
      );
  }

  /** A request id for the bearer comparison's requests (the DPoP core counts its own). */
  nextRequestId(): string {
    return `bearer-${++this.lastBearerRequest}`;
  }

  /** `at` defaults to now (the bearer comparison records as the answer arrives). */
  record(exchange: Omit<LoggedExchange, 'at'> & { at?: number }): void {
    this.entries.next(
      [{ at: Date.now(), ...exchange }, ...this.entries.value].slice(0, EXCHANGE_LOG_SIZE),
    );
  }

  clear(): void {
    this.entries.next([]);
  }
}
