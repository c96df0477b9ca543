import { Injectable } from '@angular/core';
import { Subject } from 'rxjs';

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
  /** The server's `error` (from `WWW-Authenticate` or the JSON body), when it refused. */
  error?: string;
  /** The `DPoP-Nonce` the server answered with, if any. */
  nonce?: string;
  /** Why this attempt is a retry: the server's nonce challenge, or its `Date` showed a clock skew. */
  retryReason?: 'use_dpop_nonce' | 'clock_skew';
}

/**
 * A tap on the interceptor for inspectors and logs (`Dpop.exchanges`): one event per attempt.
 * Never carries the access token.
 */
@Injectable({ providedIn: 'root' })
export class DpopEvents {
  readonly exchanges = new Subject<DpopExchange>();
  private lastRequestId = 0;

  /** A new `requestId` for the first attempt of a request. */
  nextRequestId(): number {
    return ++this.lastRequestId;
  }
}
