import { Injectable } from '@angular/core';
import { Observable, Subject } from 'rxjs';

/** One request the interceptor sent with a DPoP proof, and how the server answered. */
export interface DpopExchange {
  method: string;
  url: string;
  /** The HTTP status; 0 when no response arrived (network or CORS failure). */
  status: number;
  /** The proof JWT that was sent (public data: it is bound to this one request). */
  proof: string;
  /** True for the second attempt after a `use_dpop_nonce` challenge (RFC 9449 §8, §9). */
  retried: boolean;
}

/**
 * A tap on the interceptor for inspectors and logs: one event per attempt. Never carries the
 * access token.
 */
@Injectable({ providedIn: 'root' })
export class DpopEvents {
  private readonly subject = new Subject<DpopExchange>();

  readonly exchanges: Observable<DpopExchange> = this.subject.asObservable();

  record(exchange: DpopExchange): void {
    this.subject.next(exchange);
  }
}
