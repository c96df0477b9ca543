import { Injectable } from '@angular/core';
import { Observable, Subject } from 'rxjs';

/** One request the interceptor sent with a DPoP proof (or, for a Bearer token, without), and how the server answered. */
export interface DpopExchange {
  /** The same for a request's first attempt and its retries (counts up from 1 per page). */
  requestId?: number;
  method: string;
  url: string;
  /** The HTTP status; 0 when no response arrived (network or CORS failure). */
  status: number;
  /** The proof JWT that was sent (public data: it is bound to this one request); null for Bearer. */
  proof: string | null;
  /** The `Authorization` scheme sent; null when only a proof was sent (the token endpoint). */
  scheme?: 'DPoP' | 'Bearer' | null;
  /** The server's `error` (from `WWW-Authenticate` or the JSON body), when it refused. */
  error?: string;
  /** The `DPoP-Nonce` the server answered with, if any. */
  nonce?: string;
  /** True for a retry: after a `use_dpop_nonce` challenge (RFC 9449 §8, §9) or a clock correction. */
  retried: boolean;
  /** Why this attempt is a retry: the server's nonce challenge, or its `Date` showed a clock skew. */
  retryReason?: 'use_dpop_nonce' | 'clock_skew';
}

/**
 * A tap on the interceptor for inspectors and logs: one event per attempt. Never carries the
 * access token.
 */
@Injectable({ providedIn: 'root' })
export class DpopEvents {
  private readonly subject = new Subject<DpopExchange>();

  readonly exchanges: Observable<DpopExchange> = this.subject.asObservable();
  private lastRequestId = 0;

  /** A new `requestId` for the first attempt of a request. */
  nextRequestId(): number {
    return ++this.lastRequestId;
  }

  record(exchange: DpopExchange): void {
    this.subject.next(exchange);
  }
}
