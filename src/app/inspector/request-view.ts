/**
 * Turns the exchange log into what the inspector draws: one entry per request (its first try and
 * retries), the nonce handshake as a sequence of arrows, each proof decoded and explained, and
 * the access token checked against the proof (`ath`) and the key (`cnf.jkt`). Display only.
 */
import { calculateJwkThumbprint, type JWK } from 'jose';

import { athOf } from '@dpop-lab/protocol';
import type { LoggedExchange } from './exchange-log';
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
}

/** Groups a newest-first log by request; the newest request first. */
export function groupExchanges(exchanges: readonly LoggedExchange[]): RequestGroup[] {
  const groups = new Map<string, RequestGroup>();
  exchanges.forEach((exchange) => {
    const id = exchange.requestId;
    const group = groups.get(id);
    if (group) {
      group.attempts.unshift(exchange); // the log is newest first
    } else {
      groups.set(id, {
        id,
        method: exchange.method,
        url: exchange.url,
        status: exchange.status,
        attempts: [exchange],
      });
    }
  });
  return [...groups.values()];
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
    const sent =
      attempt.scheme === 'Bearer'
        ? 'Authorization: Bearer, no proof'
        : `${attempt.scheme === 'DPoP' ? 'Authorization: DPoP + ' : ''}DPoP proof${
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
  const nonce = attempt.proof ? decodeJwt(attempt.proof)?.claims['nonce'] : undefined;
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
  rows: ClaimRow[];
  cnfJkt?: string;
  /** The proof's `ath`, and the SHA-256 of the token held now; equal when it is that token. */
  ath?: { inProof: string; recomputed: string; equal: boolean };
  note: string;
}

export interface RequestView {
  group: RequestGroup;
  steps: SequenceStep[];
  attempts: AttemptView[];
  token: TokenView;
}

export interface ViewContext {
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
    steps: sequenceOf(group),
    attempts,
    token: await describeToken(group, context),
  };
}

async function describeAttempt(exchange: LoggedExchange): Promise<AttemptView> {
  const decoded = exchange.proof ? decodeJwt(exchange.proof) : null;
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
  const inProof = last.proof ? decodeJwt(last.proof)?.claims['ath'] : undefined;
  const view: TokenView = {
    kind: decoded ? 'jwt' : 'opaque',
    rows: decoded ? rowsOf(decoded.claims, ACCESS_TOKEN_CLAIMS) : [],
    note:
      last.scheme === 'Bearer'
        ? 'A plain bearer token: no proof goes with it, so whoever copies it can use it.'
        : decoded
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
