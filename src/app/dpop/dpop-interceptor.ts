import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, defer, from, Observable, switchMap, tap, throwError } from 'rxjs';

import { DpopAllowList } from './dpop-allow-list';
import { DPOP_PROOF_ONLY } from './dpop-context';
import { DpopError } from './dpop-error';
import { DpopEvents } from './dpop-events';
import { DpopNonces } from './dpop-nonces';
import { DpopProofs } from './dpop-proofs';
import { DpopTokenSource } from './dpop-token-source';
import { readDpopError } from './read-dpop-error';

/**
 * Attaches DPoP to the requests it owns and passes every other request through untouched:
 * - allow-listed requests with an access token: `Authorization: DPoP <token>` + `DPoP: <proof>`
 *   with `ath` (RFC 9449 §7.1) — never `Bearer`, never to an origin not on the list;
 * - requests flagged with `DPOP_PROOF_ONLY` (the token endpoint, §5): the `DPoP` proof only.
 *
 * On a `use_dpop_nonce` challenge (§8 from an authorization server, §9 from a resource server) it
 * retries once with a fresh proof carrying the new nonce; a second challenge goes to the caller.
 */
export const dpopInterceptor: HttpInterceptorFn = (req, next) => {
  const proofOnly = req.context.get(DPOP_PROOF_ONLY);
  const resource = proofOnly ? null : inject(DpopAllowList).match(req.url);
  if (!proofOnly && !resource) {
    return next(req);
  }

  // inject() only works synchronously here; everything below runs later, on subscribe.
  const proofs = inject(DpopProofs);
  const nonces = inject(DpopNonces);
  const events = inject(DpopEvents);
  const tokenSource = resource ? inject(DpopTokenSource, { optional: true }) : null;
  if (resource && !tokenSource) {
    return throwError(
      () =>
        new DpopError(
          'missing_token_source',
          `${req.url} is on the DPoP allow list but no token source is configured; ` +
            'add withTokenSource(YourTokenSource) to provideDpop(...).',
        ),
    );
  }

  const accessToken$ = defer(async () =>
    resource && tokenSource ? tokenSource.getAccessToken(resource) : null,
  );

  return accessToken$.pipe(
    switchMap((accessToken) => {
      if (resource && !accessToken) {
        return next(req); // no token for this resource: nothing to bind, send it as is
      }
      const attempt = (retried: boolean, nonce?: string) =>
        send(req, next, { proofs, nonces, events }, { accessToken, retried, nonce });
      return attempt(false).pipe(
        catchError((error: unknown) => {
          const nonce = nonceChallenge(error);
          return nonce === null ? throwError(() => error) : attempt(true, nonce);
        }),
      );
    }),
  );
};

interface Services {
  proofs: DpopProofs;
  nonces: DpopNonces;
  events: DpopEvents;
}

interface Attempt {
  accessToken: string | null;
  retried: boolean;
  nonce?: string;
}

/** One attempt: a fresh proof built at send time, the headers, and nonce bookkeeping. */
function send(
  req: HttpRequest<unknown>,
  next: HttpHandlerFn,
  { proofs, nonces, events }: Services,
  { accessToken, retried, nonce }: Attempt,
): Observable<HttpEvent<unknown>> {
  return from(
    proofs.create({
      method: req.method,
      url: req.url,
      accessToken: accessToken ?? undefined,
      nonce,
    }),
  ).pipe(
    switchMap((proof) => {
      const headers: Record<string, string> = { DPoP: proof };
      if (accessToken) {
        headers['Authorization'] = `DPoP ${accessToken}`;
      }
      const record = (status: number) =>
        events.record({ method: req.method, url: req.urlWithParams, status, proof, retried });
      return next(req.clone({ setHeaders: headers })).pipe(
        tap({
          next: (event) => {
            if (event instanceof HttpResponse) {
              nonces.remember(req.url, event.headers);
              record(event.status);
            }
          },
          error: (error: unknown) => {
            if (error instanceof HttpErrorResponse) {
              nonces.remember(req.url, error.headers);
              record(error.status);
            }
          },
        }),
      );
    }),
  );
}

/**
 * The nonce to retry with if `error` is a `use_dpop_nonce` challenge, else null. Throws when the
 * server asked for a nonce the browser cannot read (the CORS response did not expose it).
 */
function nonceChallenge(error: unknown): string | null {
  if (!(error instanceof HttpErrorResponse) || (error.status !== 400 && error.status !== 401)) {
    return null;
  }
  if (readDpopError(error)?.error !== 'use_dpop_nonce') {
    return null;
  }
  const nonce = error.headers.get('DPoP-Nonce')?.trim();
  if (!nonce) {
    throw new DpopError(
      'nonce_header_not_exposed',
      `${error.url ?? 'The server'} asked for a DPoP nonce (use_dpop_nonce) but its DPoP-Nonce ` +
        'response header is not readable. The server must send it and list it in ' +
        '"Access-Control-Expose-Headers: DPoP-Nonce" (and WWW-Authenticate) for cross-origin calls.',
      { cause: error },
    );
  }
  return nonce;
}
