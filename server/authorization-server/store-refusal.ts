/**
 * A write the authorization server's store will not take now (store-entries.ts): a pool of
 * entries anyone can create is full (503), or one address has used its share of it (429). It
 * carries the fields oidc-provider reads from its own errors, so oidc-provider answers it as
 * `temporarily_unavailable` with that status: a JSON error at the token endpoint, the error
 * page in a browser. `retryAfter` (seconds) is when the oldest entry in the way expires.
 */
import { describeWait } from './describe-wait.ts';

export class StoreRefusal extends Error {
  readonly error = 'temporarily_unavailable';
  readonly expose = true;
  /** Show the page rather than redirect to the app: the person at the browser must wait. */
  readonly allow_redirect = false;
  readonly statusCode: number;

  constructor(
    readonly status: 429 | 503,
    readonly retryAfter: number,
    readonly error_description: string,
  ) {
    super('temporarily_unavailable');
    this.name = 'StoreRefusal';
    this.statusCode = status;
  }

  /** `kind`: what the pool holds, in words ("sign-in pages"). */
  static addressShareUsed(kind: string, share: number, retryAfter: number): StoreRefusal {
    return new StoreRefusal(
      429,
      retryAfter,
      `Your address has used its share of ${kind} (${share} at a time): wait ${describeWait(retryAfter)}, then try again.`,
    );
  }

  static poolFull(kind: string, limit: number, retryAfter: number): StoreRefusal {
    return new StoreRefusal(
      503,
      retryAfter,
      `The authorization server holds as many ${kind} as it can (${limit}): wait ${describeWait(retryAfter)}, then try again.`,
    );
  }
}
