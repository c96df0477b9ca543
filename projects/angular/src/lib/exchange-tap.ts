import { Injectable } from '@angular/core';
import { Observable, Subject } from 'rxjs';

/** One attempt the interceptor sent with a DPoP proof, and how the server answered. */
export interface DpopExchange {
  /** The same for a request's first attempt and its retries (counts up from 1 per page). */
  requestId: number;
  method: string;
  url: string;
  /** The HTTP status; 0 when no response arrived (network or CORS failure). */
  status: number;
  /** The proof JWT that was sent (public data: it is bound to this one request). */
  proof: string;
  /** `DPoP` when an access token went with the proof; null for a proof alone (token endpoint). */
  scheme: 'DPoP' | null;
  /** When the answer arrived, epoch milliseconds. */
  at: number;
  /** The server's `error` (from `WWW-Authenticate` or the JSON body), when it refused. */
  error?: string;
  /** The `DPoP-Nonce` the server answered with, if any. */
  nonce?: string;
  /** Why this attempt is a retry: the server's nonce challenge, or its `Date` showed a clock skew. */
  retryReason?: 'use_dpop_nonce' | 'clock_skew';
}

/** How many of the latest exchanges a new subscriber gets first. */
const HISTORY = 60;

/**
 * Where the interceptor reports each attempt. It keeps and passes on nothing until
 * `withDpopDevtools()` opens it (an inspector, a lab): a production app holds no proofs. Once
 * open, a new subscriber first gets the latest exchanges, so a log opened later still shows the
 * requests made before. Never carries an access token.
 */
@Injectable({ providedIn: 'root' })
export class DpopExchangeTap {
  private sent: Subject<DpopExchange> | null = null;
  private latest: readonly DpopExchange[] = [];
  private lastRequestId = 0;

  /** A new `requestId` for the first attempt of a request. */
  nextRequestId(): number {
    return ++this.lastRequestId;
  }

  report(exchange: DpopExchange): void {
    if (!this.sent) return;
    this.latest = [...this.latest, exchange].slice(-HISTORY);
    this.sent.next(exchange);
  }

  /** Starts keeping exchanges; every exchange from now on, the latest first. */
  open(): Observable<DpopExchange> {
    const sent = (this.sent ??= new Subject<DpopExchange>());
    return new Observable<DpopExchange>((subscriber) => {
      this.latest.forEach((exchange) => subscriber.next(exchange));
      return sent.subscribe(subscriber);
    });
  }
}
