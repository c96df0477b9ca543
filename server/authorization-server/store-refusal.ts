/**
 * A write the authorization server's store will not take now (store-entries.ts): a pool is full
 * (503), or one address or account has used its share of it (429); or the store could not save
 * the change to disk (503, file-adapter.ts). It carries the fields oidc-provider reads from its
 * own errors, so oidc-provider answers it as `temporarily_unavailable` with that status: a JSON
 * error at the token endpoint, the error page in a browser. `retryAfter` (seconds) is when the
 * oldest entry in the way expires.
 */
import { describeWait } from './describe-wait.ts';
import type { ShareOwner } from './store-kinds.ts';

export class StoreRefusal extends Error {
  readonly error = 'temporarily_unavailable';
  readonly expose = true;
  /** Show the page rather than redirect to the app: the person at the browser must wait. */
  readonly allow_redirect = false;
  readonly statusCode: number;
  /** Koa sets these when the refusal reaches it unhandled (a session saved after the answer). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: 429 | 503,
    readonly retryAfter: number,
    readonly error_description: string,
  ) {
    // The message is what Koa shows when it answers the refusal itself (as text/plain).
    super(error_description);
    this.name = 'StoreRefusal';
    this.statusCode = status;
    this.headers = { 'Retry-After': String(retryAfter) };
  }

  /** `kind`: what the pool holds, in words ("sign-in pages"). */
  static shareUsed(
    kind: string,
    owner: ShareOwner,
    share: number,
    retryAfter: number,
  ): StoreRefusal {
    const whose = owner === 'account' ? 'This account' : 'Your address';
    return new StoreRefusal(
      429,
      retryAfter,
      `${whose} has used its share of ${kind} (${share} at a time): wait ${describeWait(retryAfter)}, then try again.`,
    );
  }

  static poolFull(kind: string, limit: number, retryAfter: number): StoreRefusal {
    return new StoreRefusal(
      503,
      retryAfter,
      `The authorization server holds as many ${kind} as it can (${limit}): wait ${describeWait(retryAfter)}, then try again.`,
    );
  }

  /** The change could not be written to disk, and was undone. */
  static unsaved(): StoreRefusal {
    return new StoreRefusal(
      503,
      5,
      'The authorization server could not save this change, so it made none: try again in 5 seconds.',
    );
  }
}
