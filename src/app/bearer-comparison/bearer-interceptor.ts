import {
  HttpErrorResponse,
  HttpInterceptorFn,
  HttpResponse,
  HttpResponseBase,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { decodeJwt } from 'jose';
import { defer, switchMap, tap, throwError } from 'rxjs';

import { Auth } from '../auth/auth';
import { Dpop, readDpopResponse } from '../dpop';
import { ExchangeLog } from '../inspector/exchange-log';

/**
 * The comparison's plain-bearer requests: in a session of the bearer client, a request to a
 * resource that would get a DPoP token (the same allow list) gets `Authorization: Bearer` and no
 * proof (RFC 6750), and the inspector logs it. Anyone who copies such a token can replay it.
 *
 * Registered before `dpopInterceptor`; in a DPoP session it passes everything through.
 */
export const bearerInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(Auth);
  const resource = auth.mode() === 'Bearer' ? inject(Dpop).resourceFor(req.url) : null;
  if (!resource) return next(req);
  const log = inject(ExchangeLog);
  const requestId = log.nextRequestId();
  const record = (response: HttpResponseBase) => {
    const { status, error, nonce } = readDpopResponse(response);
    log.record({
      requestId,
      method: req.method,
      url: req.urlWithParams,
      status,
      proof: null,
      scheme: 'Bearer',
      ...(error ? { error } : {}),
      ...(nonce ? { nonce } : {}),
    });
  };
  return defer(() => auth.accessToken(resource.resource)).pipe(
    switchMap((token) => {
      if (token === null) return next(req);
      if (isSenderConstrained(token)) {
        // Never a downgrade: sending a cnf-bound token as Bearer would strip its binding.
        return throwError(
          () =>
            new Error(
              `A DPoP-bound access token (it has cnf) was about to go out as Bearer to ${req.url}; ` +
                'it was not sent. A bound token must go out as Authorization: DPoP with a proof.',
            ),
        );
      }
      return next(req.clone({ setHeaders: { Authorization: `Bearer ${token}` } })).pipe(
        tap({
          next: (event) => {
            if (event instanceof HttpResponse) record(event);
          },
          error: (error: unknown) => {
            if (error instanceof HttpErrorResponse) record(error);
          },
        }),
      );
    }),
  );
};

/** RFC 7800 / RFC 9449 §6: a JWT with `cnf` is sender-constrained. Opaque tokens cannot be told. */
function isSenderConstrained(token: string): boolean {
  try {
    return decodeJwt(token)['cnf'] !== undefined;
  } catch {
    return false;
  }
}
