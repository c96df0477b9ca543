import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  afterRetry,
  readDpopAnswer,
  signProof,
  type DpopAnswer,
  type RetryState,
} from '@dpop-lab/protocol';
import { catchError, defer, Observable, switchMap, tap, throwError } from 'rxjs';

import { DpopExchangeTap } from '../exchange-tap';
import { absoluteUrl } from '../request-urls';
import type { DpopEndpointKind } from '../token-endpoints';
import { DpopAlgorithms } from './dpop-algorithms';
import { DpopClock } from './dpop-clock';
import { DpopKeyStore } from './dpop-key-store';
import { DpopNonces } from './dpop-nonces';
import { nextAttempt, SentProof } from './dpop-retry';
import { asDpopError, checkIssued } from './issued-tokens';

/** What goes with the proof: an access token (a resource), or nothing (an authorization server endpoint). */
export type DpopSend = { accessToken: string } | { endpoint: DpopEndpointKind };

/** Where one request's attempts stand. */
interface AttemptState extends RetryState {
  requestId: number;
  /** The nonce of the challenge; otherwise the proof takes the origin's latest nonce. */
  nonce?: string;
  reason?: 'use_dpop_nonce' | 'clock_skew';
}

/** One attempt's proof and what it was made with. */
interface Attempt extends SentProof {
  proof: string;
  thumbprint: string;
}

/**
 * Sends one request the interceptor owns: each attempt signs a fresh proof at send time (so a
 * retried or re-subscribed request never reuses a `jti`), reads the answer once, feeds the nonce
 * cache, the clock and the exchange tap from it, and asks the retry rule whether to try again. A
 * token endpoint's answer is refused unless its tokens are bound to the key that signed (§5, §6.1).
 */
@Injectable({ providedIn: 'root' })
export class DpopSender {
  private readonly keys = inject(DpopKeyStore);
  /** What the retry rule consults: the accepted algorithms and the measured clock skew. */
  private readonly rules = { algorithms: inject(DpopAlgorithms), clock: inject(DpopClock) };
  private readonly nonces = inject(DpopNonces);
  private readonly tap = inject(DpopExchangeTap);

  send(
    req: HttpRequest<unknown>,
    next: HttpHandlerFn,
    how: DpopSend,
  ): Observable<HttpEvent<unknown>> {
    const url = absoluteUrl(req.url);
    const accessToken = 'accessToken' in how ? how.accessToken : null;
    const attempt = (state: AttemptState): Observable<HttpEvent<unknown>> =>
      defer(() => this.sign(req.method, url, accessToken, state)).pipe(
        switchMap((sent) =>
          next(req.clone({ setHeaders: headersFor(sent.proof, accessToken) })).pipe(
            tap((event) => {
              if (!(event instanceof HttpResponse)) return;
              this.observe(req, url, readDpopAnswer(event), sent, state);
              if ('endpoint' in how && how.endpoint === 'token') this.checkTokens(event, sent);
            }),
            catchError((error: unknown) => {
              if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
              const answer = readDpopAnswer(error);
              this.observe(req, url, answer, sent, state);
              const retry = nextAttempt(url, answer, state, sent, { ...this.rules, cause: error });
              if (!retry) return throwError(() => error);
              return attempt({
                ...afterRetry(state, retry),
                requestId: state.requestId,
                reason: retry.reason,
                ...(retry.reason === 'use_dpop_nonce' ? { nonce: retry.nonce } : {}),
              });
            }),
          ),
        ),
      );
    return attempt({
      requestId: this.tap.nextRequestId(),
      nonceRetried: false,
      clockRetried: false,
    });
  }

  private async sign(
    method: string,
    url: string,
    accessToken: string | null,
    state: AttemptState,
  ): Promise<Attempt> {
    const key = await this.keys.key();
    const offset = this.rules.clock.offset(url);
    const proof = await signProof(key, {
      htm: method,
      htu: url,
      accessToken: accessToken ?? undefined, // null (a proof alone) must not become `ath`
      nonce: state.nonce ?? this.nonces.get(url),
      iat: Math.floor((Date.now() + offset) / 1000),
    }).catch((error: unknown) => {
      throw asDpopError(error);
    });
    return {
      proof,
      thumbprint: key.thumbprint,
      algorithm: key.algorithm,
      offset,
      withToken: accessToken !== null,
    };
  }

  /** A token response must be bound to the key that signed its request's proof. */
  private checkTokens(response: HttpResponse<unknown>, sent: Attempt): void {
    const body = typeof response.body === 'string' ? parseJson(response.body) : response.body;
    const tokens = body as { access_token?: unknown; token_type?: unknown } | null;
    if (typeof tokens?.access_token !== 'string') return;
    checkIssued(
      { access_token: tokens.access_token, token_type: tokens.token_type },
      sent.thumbprint,
    );
  }

  /** What every answer teaches: the server's next nonce and its clock; and the exchange tap. */
  private observe(
    req: HttpRequest<unknown>,
    url: string,
    answer: DpopAnswer,
    sent: Attempt,
    state: AttemptState,
  ): void {
    if (answer.nonce) this.nonces.remember(url, answer.nonce);
    if (answer.date !== undefined) this.rules.clock.observe(url, answer.date);
    this.tap.report({
      requestId: state.requestId,
      method: req.method,
      url: req.urlWithParams,
      status: answer.status,
      proof: sent.proof,
      scheme: sent.withToken ? 'DPoP' : null,
      at: Date.now(),
      ...(state.reason ? { retryReason: state.reason } : {}),
      ...(answer.error ? { error: answer.error } : {}),
      ...(answer.nonce ? { nonce: answer.nonce } : {}),
    });
  }
}

function headersFor(proof: string, accessToken: string | null): Record<string, string> {
  // RFC 9449 §7.1: the DPoP scheme, never Bearer — it replaces any Authorization the caller set.
  return accessToken === null
    ? { DPoP: proof }
    : { DPoP: proof, Authorization: `DPoP ${accessToken}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
