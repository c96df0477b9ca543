import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { defer, switchMap, throwError } from 'rxjs';

import { DpopAllowList } from './dpop-allow-list';
import { DPOP_PROOF_ONLY } from './dpop-context';
import { DpopError } from './dpop-error';
import { DpopSender } from './dpop-sender';
import { DpopTokenSource } from './dpop-token-source';

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
 */
export const dpopInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(DPOP_PROOF_ONLY)) {
    return inject(DpopSender).send(req, next, null);
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
  const sender = inject(DpopSender);
  return defer(() => tokens.getAccessToken(resource)).pipe(
    // No token (signed out): nothing to bind, the request goes as it is.
    switchMap((token) => (token === null ? next(req) : sender.send(req, next, token))),
  );
};
