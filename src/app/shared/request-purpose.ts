import { HttpContextToken, HttpInterceptorFn } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';

/**
 * Why the app sent a request, where the request cannot tell: a refresh and a code exchange are
 * both `POST /token` with a proof alone. The inspector labels its exchanges with it.
 */
export interface RequestPurpose {
  kind: 'code-exchange' | 'refresh' | 'revocation' | 'attack-capture';
  /** For a refresh: the RFC 8707 resource the new token is for (none: the userinfo token). */
  resource?: string;
}

/** Set by the caller: `http.post(url, body, { context: new HttpContext().set(REQUEST_PURPOSE, …) })`. */
export const REQUEST_PURPOSE = new HttpContextToken<RequestPurpose | null>(() => null);

/** How many proofs' purposes are kept: more than the inspector's log holds. */
const KEPT = 100;

/** The purposes of the latest attempts, by the proof each carried (one proof per attempt). */
@Injectable({ providedIn: 'root' })
export class RequestPurposes {
  private readonly byProof = new Map<string, RequestPurpose>();

  record(proof: string, purpose: RequestPurpose): void {
    this.byProof.set(proof, purpose);
    if (this.byProof.size > KEPT) this.byProof.delete(this.byProof.keys().next().value!);
  }

  of(proof: string): RequestPurpose | null {
    return this.byProof.get(proof) ?? null;
  }
}

/**
 * Runs after `dpopInterceptor`, so it sees every attempt with its proof (a retry has a new one),
 * and records the purpose its caller gave it.
 */
export const requestPurposeInterceptor: HttpInterceptorFn = (request, next) => {
  const purpose = request.context.get(REQUEST_PURPOSE);
  const proof = request.headers.get('DPoP');
  if (purpose && proof) inject(RequestPurposes).record(proof, purpose);
  return next(request);
};
