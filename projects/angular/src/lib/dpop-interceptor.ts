import { HttpInterceptorFn } from '@angular/common/http';
import { inject, Injector } from '@angular/core';
import { defer, Observable, switchMap, throwError } from 'rxjs';

import { DpopAllowList } from './dpop-allow-list';
import { DpopError } from './dpop-error';
import { DpopTokenSource } from './dpop-token-source';
import { loadRuntime } from './lazy-runtime';
import type { DpopSender } from './runtime/dpop-sender';
import { DpopTokenEndpoints } from './token-endpoints';

/**
 * Attaches DPoP to the requests it owns and passes every other request through untouched:
 * - a request to an allow-listed resource, when the token source has a token for it:
 *   `Authorization: DPoP <token>` + `DPoP: <proof>` with `ath` (RFC 9449 §7.1) — never `Bearer`,
 *   never to an origin or path that is not on the list;
 * - a POST to the authorization server's token, revocation or PAR endpoint (registered by
 *   `Dpop.useAuthorizationServer()`): the `DPoP` proof only (§5, §10.1); a token response that is
 *   not bound to this key is refused with a `DpopError`, so its tokens are never used.
 *
 * A `use_dpop_nonce` challenge is answered once with the server's nonce (§8, §9), and with
 * `withClockSkewCorrection()` a proof refused for a skewed `iat` is retried once (§11.1); each
 * attempt carries a fresh proof. Failures retrying cannot fix — a header CORS hides, a key
 * algorithm the server refuses — become a `DpopError` that says what to change.
 *
 * The code that signs proofs loads with the first request that needs one (`loadRuntime`), so a
 * signed-out visitor's first page load does without it.
 */
export const dpopInterceptor: HttpInterceptorFn = (req, next) => {
  const endpoint = inject(DpopTokenEndpoints).match(req);
  if (endpoint) {
    return sender().pipe(switchMap((send) => send.send(req, next, { endpoint })));
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
    switchMap((accessToken) =>
      accessToken === null
        ? next(req)
        : signed.pipe(switchMap((send) => send.send(req, next, { accessToken }))),
    ),
  );
};

/** The sender, from the part of the core loaded on first use. Call it in an injection context. */
function sender(): Observable<DpopSender> {
  const injector = inject(Injector);
  return defer(async () => injector.get((await loadRuntime()).DpopSender));
}
