import { Injectable } from '@angular/core';
import { NonceCache } from '@dpop-lab/protocol';

/**
 * The latest DPoP nonce of each server the interceptor talks to (RFC 9449 §8, §9): the protocol's
 * bounded cache, one per app. Cleared at sign-out (`Dpop.end()`).
 */
@Injectable({ providedIn: 'root' })
export class DpopNonces extends NonceCache {
  constructor() {
    super();
  }
}
