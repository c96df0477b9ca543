import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { catchError, defer, Observable, switchMap, tap, throwError } from 'rxjs';

import { DpopAlgorithms } from './dpop-algorithms';
import { DpopClock } from './dpop-clock';
import { DpopEvents } from './dpop-events';
import { DpopKeyStore } from './dpop-key-store';
import { DpopNonces } from './dpop-nonces';
import type { DpopResponse } from './dpop-response';
import { AttemptState, nextAttempt, SentProof } from './dpop-retry';
// Through the public API, as an app would (see dpop-runtime.ts for why it matters).
import { readDpopResponse, signDpopProof } from './index';

/** One attempt's proof and what it was made with. */
interface Attempt extends SentProof {
  proof: string;
}

/**
 * Sends one request the interceptor owns: each attempt signs a fresh proof at send time (so a
 * retried or re-subscribed request never reuses a `jti`), reads the answer once, feeds the nonce
 * cache, the clock and the event log from it, and asks the retry rules whether to try again.
 */
@Injectable({ providedIn: 'root' })
export class DpopSender {
  private readonly keys = inject(DpopKeyStore);
  /** What the retry rules consult: the accepted algorithms and the measured clock skew. */
  private readonly rules = { algorithms: inject(DpopAlgorithms), clock: inject(DpopClock) };
  private readonly nonces = inject(DpopNonces);
  private readonly events = inject(DpopEvents);

  /** `accessToken`: sent as `Authorization: DPoP` with `ath`; null for a proof alone. */
  send(
    req: HttpRequest<unknown>,
    next: HttpHandlerFn,
    accessToken: string | null,
  ): Observable<HttpEvent<unknown>> {
    const first: AttemptState = {
      requestId: this.events.nextRequestId(),
      nonceRetried: false,
      clockRetried: false,
    };
    const attempt = (state: AttemptState): Observable<HttpEvent<unknown>> =>
      defer(() => this.sign(req, accessToken, state)).pipe(
        switchMap((sent) =>
          next(req.clone({ setHeaders: headersFor(sent.proof, accessToken) })).pipe(
            tap((event) => {
              if (event instanceof HttpResponse)
                this.observe(req, readDpopResponse(event), sent, state);
            }),
            catchError((error: unknown) => {
              if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
              const response = readDpopResponse(error);
              this.observe(req, response, sent, state);
              const retry = nextAttempt(req.url, response, state, sent, {
                ...this.rules,
                cause: error,
              });
              return retry ? attempt(retry) : throwError(() => error);
            }),
          ),
        ),
      );
    return attempt(first);
  }

  private async sign(
    req: HttpRequest<unknown>,
    accessToken: string | null,
    state: AttemptState,
  ): Promise<Attempt> {
    const key = await this.keys.key();
    const offset = this.rules.clock.offset(req.url);
    const proof = await signDpopProof(key, {
      method: req.method,
      url: req.url,
      accessToken: accessToken ?? undefined, // null (a proof alone) must not become `ath`
      nonce: state.nonce ?? this.nonces.get(req.url),
      iat: Math.floor((Date.now() + offset) / 1000),
    });
    return { proof, algorithm: key.algorithm, offset, withToken: accessToken !== null };
  }

  /** What every answer teaches: the server's next nonce and its clock; and the event log. */
  private observe(
    req: HttpRequest<unknown>,
    response: DpopResponse,
    sent: Attempt,
    state: AttemptState,
  ): void {
    if (response.nonce) this.nonces.remember(req.url, response.nonce);
    if (response.date !== undefined) this.rules.clock.observe(req.url, response.date);
    this.events.report({
      requestId: state.requestId,
      method: req.method,
      url: req.urlWithParams,
      status: response.status,
      proof: sent.proof,
      scheme: sent.withToken ? 'DPoP' : null,
      at: Date.now(),
      ...(state.reason ? { retryReason: state.reason } : {}),
      ...(response.error ? { error: response.error } : {}),
      ...(response.nonce ? { nonce: response.nonce } : {}),
    });
  }
}

function headersFor(proof: string, accessToken: string | null): Record<string, string> {
  // RFC 9449 §7.1: the DPoP scheme, never Bearer — it replaces any Authorization the caller set.
  return accessToken === null
    ? { DPoP: proof }
    : { DPoP: proof, Authorization: `DPoP ${accessToken}` };
}
