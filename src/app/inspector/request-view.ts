/**
 * Turns the exchange log into what the inspector draws: the user's actions, newest first, each
 * with its requests (a first try and its retries), labelled by what they were for; the nonce
 * handshake as a sequence of arrows, each proof decoded and explained, and the access token
 * checked against the proof (`ath`) and the key (`cnf.jkt`). Display only.
 */
import { calculateJwkThumbprint, type JWK } from 'jose';

import { athOf } from '@dpop-lab/protocol';
import type { LoggedExchange, UserAction } from './exchange-log';
import {
  ACCESS_TOKEN_CLAIMS,
  ClaimRow,
  cnfJkt,
  decodeJwt,
  PROOF_CLAIMS,
  PROOF_HEADER,
  rowsOf,
} from './jwt-explained';

/** A request and its attempts, oldest attempt first. */
export interface RequestGroup {
  id: string;
  method: string;
  url: string;
  /** The final attempt's status. */
  status: number;
  attempts: LoggedExchange[];
  /** What the user was doing when it went out. */
  action: UserAction;
  /** Why the app sent it, when the request cannot tell. */
  purpose?: LoggedExchange['purpose'];
}

/** Groups a newest-first log by request; the newest request first. */
export function groupExchanges(exchanges: readonly LoggedExchange[]): RequestGroup[] {
  const groups = new Map<string, RequestGroup>();
  exchanges.forEach((exchange) => {
    const id = exchange.requestId;
    const group = groups.get(id);
    if (group) {
      group.attempts.unshift(exchange); // the log is newest first
      group.action = exchange.action; // a request belongs to the action its first try went out in
    } else {
      groups.set(id, {
        id,
        method: exchange.method,
        url: exchange.url,
        status: exchange.status,
        attempts: [exchange],
        action: exchange.action,
        ...(exchange.purpose ? { purpose: exchange.purpose } : {}),
      });
    }
  });
  return [...groups.values()];
}

/** The requests of one user action (opening a view, signing in or out), newest first. */
export interface ActionGroup<R> {
  action: UserAction;
  requests: R[];
}

/** Groups newest-first requests by the user's action, keeping the order. */
export function groupByAction<R extends { group: RequestGroup }>(
  requests: readonly R[],
): ActionGroup<R>[] {
  const actions: ActionGroup<R>[] = [];
  for (const request of requests) {
    const last = actions.at(-1);
    if (last?.action.key === request.group.action.key) last.requests.push(request);
    else actions.push({ action: request.group.action, requests: [request] });
  }
  return actions;
}

/** What the inspector needs to know of the app to name a request. */
export interface LabelContext {
  /** The API's base URL (config.json's `api.baseUrl`) and its resource indicator. */
  api: { baseUrl: string; resource?: string };
}

/**
 * A request named by what it was for: "Sign-in: the code exchange", "Refresh: a new token for the
 * API", "The API: GET /api/users". Two `POST /token` are told apart by their purpose.
 */
export function labelOf(group: RequestGroup, { api }: LabelContext): string {
  const purpose = group.purpose;
  switch (purpose?.kind) {
    case 'code-exchange':
      return 'Sign-in: the code exchange';
    case 'refresh':
      return purpose.resource === undefined
        ? 'Refresh: a new token for userinfo'
        : `Refresh: a new token for ${purpose.resource === api.resource ? 'the API' : purpose.resource}`;
    case 'revocation':
      return 'Sign-out: the refresh token revoked';
    case 'attack-capture':
      return 'Attack lab: the call whose proof is captured';
  }
  const request = `${group.method} ${pathOf(group.url)}`;
  if (group.attempts[0].scheme === null) return `Token endpoint: ${request}`;
  return group.url.startsWith(api.baseUrl) ? `The API: ${request}` : `Userinfo: ${request}`;
}

/** One arrow of the sequence diagram. */
export interface SequenceStep {
  direction: 'request' | 'response';
  label: string;
  detail: string;
}

/** The request path (and query) of a URL, for short labels. */
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/** The handshake as arrows: app → server (what was sent), server → app (what came back). */
export function sequenceOf(group: RequestGroup): SequenceStep[] {
  return group.attempts.flatMap((attempt) => {
    const sent = `${attempt.scheme === 'DPoP' ? 'Authorization: DPoP + ' : ''}DPoP proof${
      attempt.scheme === null ? ' only' : ''
    }, ${proofNonce(attempt) ? "with the server's nonce" : 'no nonce'}`;
    const retry =
      attempt.retryReason === 'clock_skew'
        ? 'Retry with iat corrected: '
        : attempt.retryReason
          ? 'Retry: '
          : '';
    return [
      {
        direction: 'request' as const,
        label: `${retry}${attempt.method} ${pathOf(attempt.url)}`,
        detail: sent,
      },
      {
        direction: 'response' as const,
        label: `${attempt.status || 'no answer'}${attempt.error ? ` ${attempt.error}` : ''}`,
        detail: responseDetail(attempt),
      },
    ];
  });
}

function responseDetail(attempt: LoggedExchange): string {
  if (attempt.status === 0) return 'no response (network or CORS failure)';
  if (attempt.error === 'use_dpop_nonce') {
    return attempt.nonce
      ? `DPoP-Nonce: ${attempt.nonce}`
      : 'the DPoP-Nonce header was not readable';
  }
  if (attempt.status >= 200 && attempt.status < 300) return 'accepted';
  return 'refused';
}

function proofNonce(attempt: LoggedExchange): string | undefined {
  const nonce = decodeJwt(attempt.proof)?.claims['nonce'];
  return typeof nonce === 'string' ? nonce : undefined;
}

export interface AttemptView {
  exchange: LoggedExchange;
  header: ClaimRow[];
  claims: ClaimRow[];
  /** RFC 7638 thumbprint of the proof's `jwk`. */
  jwkThumbprint?: string;
}

export interface TokenView {
  /** `jwt` decoded; `opaque` (only its server can read it); `none` (token endpoint). */
  kind: 'jwt' | 'opaque' | 'none';
  /** The token the session holds now for the request's URL (shown and copied, never stored). */
  raw?: string;
  rows: ClaimRow[];
  cnfJkt?: string;
  /** The proof's `ath`, and the SHA-256 of the token held now; equal when it is that token. */
  ath?: { inProof: string; recomputed: string; equal: boolean };
  note: string;
}

export interface RequestView {
  group: RequestGroup;
  label: string;
  steps: SequenceStep[];
  attempts: AttemptView[];
  token: TokenView;
}

export interface ViewContext extends LabelContext {
  /** The access token the session holds now for the request's URL, or null. */
  tokenFor(url: string): string | null;
}

export async function describeRequest(
  group: RequestGroup,
  context: ViewContext,
): Promise<RequestView> {
  const attempts = await Promise.all(group.attempts.map(describeAttempt));
  return {
    group,
    label: labelOf(group, context),
    steps: sequenceOf(group),
    attempts,
    token: await describeToken(group, context),
  };
}

async function describeAttempt(exchange: LoggedExchange): Promise<AttemptView> {
  const decoded = decodeJwt(exchange.proof);
  if (!decoded) return { exchange, header: [], claims: [] };
  const jwk = decoded.header['jwk'];
  let jwkThumbprint: string | undefined;
  if (jwk && typeof jwk === 'object') {
    jwkThumbprint = await calculateJwkThumbprint(jwk as JWK).catch(() => undefined);
  }
  return {
    exchange,
    header: rowsOf(decoded.header, PROOF_HEADER),
    claims: rowsOf(decoded.claims, PROOF_CLAIMS),
    ...(jwkThumbprint ? { jwkThumbprint } : {}),
  };
}

async function describeToken(group: RequestGroup, context: ViewContext): Promise<TokenView> {
  const last = group.attempts.at(-1)!;
  if (last.scheme === null) {
    return {
      kind: 'none',
      rows: [],
      note: 'The token endpoint gets a proof and no access token; it answers with new tokens bound to the proof’s key.',
    };
  }
  const token = context.tokenFor(group.url);
  if (!token) {
    return { kind: 'none', rows: [], note: 'This session holds no access token for this URL now.' };
  }
  const decoded = decodeJwt(token);
  const inProof = decodeJwt(last.proof)?.claims['ath'];
  const view: TokenView = {
    kind: decoded ? 'jwt' : 'opaque',
    raw: token,
    rows: decoded ? rowsOf(decoded.claims, ACCESS_TOKEN_CLAIMS) : [],
    note: decoded
      ? 'The API checks its signature, issuer, audience, expiry — and that cnf.jkt is the proof key’s thumbprint.'
      : 'Opaque: not a JWT, so only the authorization server can read it; it checks the binding itself.',
  };
  const jkt = decoded ? cnfJkt(decoded.claims) : undefined;
  if (jkt) view.cnfJkt = jkt;
  if (typeof inProof === 'string') {
    const recomputed = await athOf(token);
    view.ath = { inProof, recomputed, equal: recomputed === inProof };
  }
  return view;
}
