import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
  HttpResponseBase,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, defer, from, Observable, switchMap, tap, throwError } from 'rxjs';

import { DpopAlgorithms } from './dpop-algorithms';
import { DpopAllowList } from './dpop-allow-list';
import { sendBearer } from './dpop-bearer';
import { DpopClock } from './dpop-clock';
import { DPOP_PROOF_ONLY } from './dpop-context';
import { DpopError } from './dpop-error';
import { DpopEvents } from './dpop-events';
import { DpopKeyStore } from './dpop-key-store';
import { DpopNonces } from './dpop-nonces';
import { DpopProofs } from './dpop-proofs';
import { asDpopAccessToken, DpopTokenSource } from './dpop-token-source';
import { defaultBase } from './htu-of';
import { dpopChallenge, readDpopError } from './read-dpop-error';

/**
 * Attaches DPoP to the requests it owns and passes every other request through untouched:
 * - allow-listed requests with an access token: `Authorization: DPoP <token>` + `DPoP: <proof>`
 *   with `ath` (RFC 9449 §7.1) — never `Bearer`, never to an origin not on the list;
 * - allow-listed requests whose token source declares the token `Bearer` (an unbound token, see
 *   `DpopAccessToken`): `Authorization: Bearer <token>`, no proof — refused if the token has `cnf`;
 * - requests flagged with `DPOP_PROOF_ONLY` (the token endpoint, §5): the `DPoP` proof only.
 *
 * Each retry gets a fresh proof (new `jti`), and each cause is retried at most once:
 * - a `use_dpop_nonce` challenge (§8 from an authorization server, §9 from a resource server):
 *   once more with the server's nonce; a second challenge goes to the caller;
 * - with `withClockSkewCorrection()`, an `invalid_dpop_proof` refusal whose `Date` header shows
 *   this device's clock is off (§11.1: `iat` must be within the server's window): once more with
 *   `iat` corrected by the measured offset.
 *
 * It also learns the `algs` of a resource server's DPoP challenge (§7.1), and turns what the
 * browser cannot see into errors that say so: a `DPoP-Nonce`, `WWW-Authenticate` or `Date`
 * header hidden by CORS, a key algorithm the server does not accept.
 */
export const dpopInterceptor: HttpInterceptorFn = (req, next) => {
  const proofOnly = req.context.get(DPOP_PROOF_ONLY);
  const resource = proofOnly ? null : inject(DpopAllowList).match(req.url);
  if (!proofOnly && !resource) {
    return next(req);
  }

  // inject() only works synchronously here; everything below runs later, on subscribe.
  const services: Services = {
    proofs: inject(DpopProofs),
    nonces: inject(DpopNonces),
    events: inject(DpopEvents),
    clock: inject(DpopClock),
    algorithms: inject(DpopAlgorithms),
    keys: inject(DpopKeyStore),
  };
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
    switchMap((issued) => {
      const token = asDpopAccessToken(issued);
      if (resource && !token) {
        return next(req); // no token for this resource: nothing to bind, send it as is
      }
      if (token?.type === 'Bearer') {
        return sendBearer(req, next, services.events, token.token); // declared unbound: no proof
      }
      const accessToken = token?.token ?? null;
      const attempt = (state: AttemptState): Observable<HttpEvent<unknown>> => {
        const sent: SentProof = {};
        return send(req, next, services, accessToken, state, sent).pipe(
          catchError((error: unknown) =>
            from(nextAttempt(error, req, services, state, sent, accessToken !== null)).pipe(
              switchMap((retry) => (retry ? attempt(retry) : throwError(() => error))),
            ),
          ),
        );
      };
      return attempt({
        nonceRetried: false,
        clockRetried: false,
        requestId: services.events.nextRequestId(),
      });
    }),
  );
};

interface Services {
  proofs: DpopProofs;
  nonces: DpopNonces;
  events: DpopEvents;
  clock: DpopClock;
  algorithms: DpopAlgorithms;
  keys: DpopKeyStore;
}

/** Which retries were used up, and what the next attempt carries. */
interface AttemptState {
  /** Shared by a request's attempts (DpopEvents). */
  requestId: number;
  nonceRetried: boolean;
  clockRetried: boolean;
  /** The nonce from the challenge; otherwise the proof takes the origin's latest nonce. */
  nonce?: string;
  reason?: 'use_dpop_nonce' | 'clock_skew';
}

/** What one attempt's proof was made with, to judge its refusal. */
interface SentProof {
  algorithm?: string;
  /** The clock offset its `iat` was corrected by (ms). */
  offset?: number;
}

/** One attempt: a fresh proof built at send time, the headers, nonce and clock bookkeeping. */
function send(
  req: HttpRequest<unknown>,
  next: HttpHandlerFn,
  { proofs, nonces, events, clock, keys }: Services,
  accessToken: string | null,
  state: AttemptState,
  sent: SentProof,
): Observable<HttpEvent<unknown>> {
  const build = async () => {
    sent.algorithm = await keys.algorithm();
    sent.offset = clock.offset(req.url);
    return proofs.create({
      method: req.method,
      url: req.url,
      accessToken: accessToken ?? undefined,
      nonce: state.nonce,
    });
  };
  return from(build()).pipe(
    switchMap((proof) => {
      const headers: Record<string, string> = { DPoP: proof };
      if (accessToken) {
        headers['Authorization'] = `DPoP ${accessToken}`;
      }
      const retried = state.reason !== undefined;
      const record = (response: HttpResponseBase) => {
        const nonce = response.headers.get('DPoP-Nonce')?.trim();
        const error = readDpopError(response)?.error;
        events.record({
          requestId: state.requestId,
          method: req.method,
          url: req.urlWithParams,
          status: response.status,
          proof,
          scheme: accessToken ? 'DPoP' : null,
          retried,
          ...(state.reason ? { retryReason: state.reason } : {}),
          ...(error ? { error } : {}),
          ...(nonce ? { nonce } : {}),
        });
      };
      const observe = (response: HttpResponseBase) => {
        nonces.remember(req.url, response.headers);
        clock.observe(req.url, response.headers);
        record(response);
      };
      return next(req.clone({ setHeaders: headers })).pipe(
        tap({
          next: (event) => {
            if (event instanceof HttpResponse) observe(event);
          },
          error: (error: unknown) => {
            if (error instanceof HttpErrorResponse) observe(error);
          },
        }),
      );
    }),
  );
}

/**
 * The next attempt after a failed one, or null to hand the error to the caller. Throws a
 * `DpopError` when the failure is one the browser or the key cannot get past by retrying.
 */
async function nextAttempt(
  error: unknown,
  req: HttpRequest<unknown>,
  { clock, algorithms }: Services,
  state: AttemptState,
  sent: SentProof,
  withToken: boolean,
): Promise<AttemptState | null> {
  if (!(error instanceof HttpErrorResponse)) {
    return null;
  }
  const challenge = dpopChallenge(error.headers.getAll('WWW-Authenticate') ?? []);
  if (challenge?.['algs']) {
    // RFC 9449 §7.1: the resource server names the algorithms it accepts.
    const accepted = challenge['algs'].split(/\s+/).filter(Boolean);
    algorithms.accept(req.url, accepted, 'the resource server');
    if (sent.algorithm && !accepted.includes(sent.algorithm)) {
      throw unsupportedAlgorithm(req.url, sent.algorithm, accepted, algorithms, error);
    }
  }
  const reported = readDpopError(error);
  if (reported?.error === 'use_dpop_nonce' && (error.status === 400 || error.status === 401)) {
    return state.nonceRetried
      ? null
      : { ...state, nonceRetried: true, nonce: readNonce(error), reason: 'use_dpop_nonce' };
  }
  if (reported?.error === 'invalid_dpop_proof' && clock.enabled) {
    // The refusal's `Date` was just measured (send): if it moved the offset, `iat` was off.
    const corrected = Math.abs(clock.offset(req.url) - (sent.offset ?? 0)) >= clock.thresholdMs;
    if (corrected) {
      return state.clockRetried
        ? null
        : { ...state, clockRetried: true, nonce: undefined, reason: 'clock_skew' };
    }
    if (!error.headers.has('Date') && /\biat\b/.test(reported.error_description ?? '')) {
      throw new DpopError(
        'date_header_not_exposed',
        `${error.url ?? 'The server'} refused the DPoP proof for its iat (is this device's clock ` +
          'off?), and its Date response header is not readable, so the app cannot measure the ' +
          'skew. For cross-origin calls the server must list it: "Access-Control-Expose-Headers: Date".',
        { cause: error },
      );
    }
  }
  if (withToken && error.status === 401 && !challenge && !reported) {
    throw new DpopError(
      'challenge_header_not_exposed',
      `${error.url ?? 'The server'} answered 401 without a readable WWW-Authenticate header, so ` +
        'the app cannot tell why (an expired token? a DPoP nonce challenge?). The server must send ' +
        '"WWW-Authenticate: DPoP …" and, for cross-origin calls, list it in ' +
        '"Access-Control-Expose-Headers: WWW-Authenticate, DPoP-Nonce".',
      { cause: error },
    );
  }
  return null;
}

/**
 * The nonce of a `use_dpop_nonce` challenge. Throws when the server asked for a nonce the browser
 * cannot read (the CORS response did not expose it).
 */
function readNonce(error: HttpErrorResponse): string {
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

function unsupportedAlgorithm(
  url: string,
  used: string,
  accepted: string[],
  algorithms: DpopAlgorithms,
  cause: HttpErrorResponse,
): DpopError {
  const common = algorithms.candidates();
  const next = common.length
    ? `Sign in again: the new key will use ${common[0]}, which every server accepts.`
    : `No algorithm this app can sign with (withAlgorithms) suits every server, so signing in again will not help.`;
  return new DpopError(
    'unsupported_algorithm',
    `${new URL(url, defaultBase()).origin} accepts DPoP proofs signed with ` +
      `${accepted.join(', ')} only (WWW-Authenticate algs), but this session's key signs ${used}. ${next}`,
    { cause },
  );
}
