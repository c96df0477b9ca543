import { HttpInterceptorFn } from '@angular/common/http';
import { inject, Injector } from '@angular/core';
import { defer, Observable, switchMap, throwError } from 'rxjs';

import { DpopAllowList } from './dpop-allow-list';
import { DPOP_PROOF_ONLY } from './dpop-context';
import { DpopError } from './dpop-error';
import type { DpopSender } from './dpop-runtime';
import { DpopTokenSource } from './dpop-token-source';
import { runtime } from './lazy-module';

/**
 * Attaches DPoP to the requests it owns and passes every other request through untouched:
 * - a request to an allow-listed resource, when the token source has a token for it:
 *   `Authorization: DPoP <token>` + `DPoP: <proof>` with `ath` (RFC 9449 §7.1) — never `Bearer`,
 *   never to an origin or path that is not on the list;
 * - a request flagged with `withDpopProof()` (the token endpoint, §5): the `DPoP` proof only.
 *
 * A `use_dpop_nonce` challenge is answered once with the server's nonce (§8, §9), and with
 * `withClockSkewCorrection()` a proof refused for a skewed `iat` is retried once (§11.1); each
 * attempt carries a fresh proof. Failures retrying cannot fix — a header CORS hides, a key
 * algorithm the server refuses — become a `DpopError` that says what to change.
 *
 * The code that signs proofs (`DpopSender`, jose) loads with the first request that needs one,
 * so a signed-out visitor's first page load does without it.
 */
export const dpopInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(DPOP_PROOF_ONLY)) {
    return sender().pipe(switchMap((send) => send.send(req, next, null)));
  }
  const resource = inject(DpopAllowList).match(req.url);
  if (!resource) {
    return next(req);
  }
  const tokens = inject(DpopTokenSource, { optional: true });
  if (!tokens) {
    return throwError(
      () =>
        new DpopError(
          'missing_token_source',
          `${req.url} is on the DPoP allow list but no token source is configured; ` +
            'add withTokenSource(YourTokenSource) to provideDpop(...).',
        ),
    );
  }
  // inject() works only synchronously here; the token is asked for on subscribe.
  const signed = sender();
  return defer(() => tokens.getAccessToken(resource)).pipe(
    // No token (signed out): nothing to bind, the request goes as it is.
    switchMap((token) =>
      token === null ? next(req) : signed.pipe(switchMap((send) => send.send(req, next, token))),
    ),
  );
};

/** The sender, from the part of the core loaded on first use. Call it in an injection context. */
function sender(): Observable<DpopSender> {
  const injector = inject(Injector);
  return defer(async () => injector.get((await runtime()).DpopSender));
}
