import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpRequest,
  HttpResponse,
  HttpResponseBase,
} from '@angular/common/http';
import { decodeJwt } from 'jose';
import { Observable, tap, throwError } from 'rxjs';

import { DpopError } from './dpop-error';
import { DpopEvents } from './dpop-events';
import { readDpopError } from './read-dpop-error';

/**
 * Sends an allow-listed request with a token its source declared `Bearer`: `Authorization:
 * Bearer <token>`, no proof, no nonce handling (RFC 6750). Anyone who copies such a token can
 * replay it — that is what the walkthrough's comparison shows.
 *
 * Never a downgrade: a JWT that carries `cnf` is sender-constrained (RFC 9449 §6, RFC 7800), and
 * sending it as Bearer would strip the binding, so it is refused with `bearer_downgrade` before
 * anything goes out. (An opaque token cannot be inspected; the source's `Bearer` comes from the
 * server's `token_type`.)
 */
export function sendBearer(
  req: HttpRequest<unknown>,
  next: HttpHandlerFn,
  events: DpopEvents,
  token: string,
): Observable<HttpEvent<unknown>> {
  if (isSenderConstrained(token)) {
    return throwError(
      () =>
        new DpopError(
          'bearer_downgrade',
          `The token source returned a DPoP-bound access token (it has cnf) as Bearer for ${req.url}; ` +
            'it was not sent. A bound token must go out as Authorization: DPoP with a proof.',
        ),
    );
  }
  const requestId = events.nextRequestId();
  const record = (response: HttpResponseBase) => {
    const nonce = response.headers.get('DPoP-Nonce')?.trim();
    const error = readDpopError(response)?.error;
    events.record({
      requestId,
      method: req.method,
      url: req.urlWithParams,
      status: response.status,
      proof: null,
      scheme: 'Bearer',
      retried: false,
      ...(error ? { error } : {}),
      ...(nonce ? { nonce } : {}),
    });
  };
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
}

function isSenderConstrained(token: string): boolean {
  try {
    return decodeJwt(token)['cnf'] !== undefined;
  } catch {
    return false; // opaque: only its server can tell
  }
}
