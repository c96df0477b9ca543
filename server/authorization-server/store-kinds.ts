/**
 * Where the authorization server's store keeps each kind of entry (store-entries.ts), by who can
 * make one and what losing it would cost:
 *
 * - **made by anyone**, signed in or not — sign-in pages (`Interaction`, one per `GET /auth`),
 *   DPoP proof records (`ReplayDetection`), pushed requests, client-credentials tokens (the
 *   service client's secret is published) and the sessions of visitors who never signed in (a
 *   `GET /session/end` keeps one): a bounded pool per kind, shared out by client address;
 * - **made by a signed-in account, briefly** — authorization codes (every `GET /auth` with a
 *   session cookie makes one, no password needed): a bounded pool shared out by account;
 * - **made by a signed-in account, for long** — sessions, grants, refresh and access tokens: the
 *   accounts' pool, where each account has a cap and only ever evicts its own entries.
 *
 * A bounded pool refuses a new entry when full (it evicts nothing: a proof record pushed out could
 * be replayed, a sign-in page pushed out is someone's sign-in lost). Only what anyone can make is
 * written lazily (file-adapter.ts); the rest is on disk before the server answers.
 */
import type { AdapterPayload } from 'oidc-provider';

/** Who a share of a bounded pool belongs to. */
export type ShareOwner = 'address' | 'account';

export interface BoundedKind {
  bounded: true;
  /** The pool's name (a model name, or `VisitorSession`). */
  pool: string;
  owner: ShareOwner;
  /** What the pool holds, in words for a refusal ("sign-in pages"). */
  words: string;
  /** Written to disk before the answer (false: within `writeDelay`). */
  durable: boolean;
}

export interface AccountsKind {
  bounded: false;
  pool: typeof ACCOUNTS_POOL;
  durable: true;
  /** Evicted before the account's other live entries: a new one comes with the next refresh. */
  replaceable: boolean;
}

export type StoreKind = BoundedKind | AccountsKind;

export const ACCOUNTS_POOL = 'accounts';
export const ACCOUNTS_POOL_WORDS = 'sessions, grants and tokens';

const anyone = (pool: string, words: string): BoundedKind => ({
  bounded: true,
  pool,
  owner: 'address',
  words,
  durable: false,
});

const BOUNDED: Readonly<Record<string, BoundedKind>> = {
  Interaction: anyone('Interaction', 'sign-in pages'),
  ReplayDetection: anyone('ReplayDetection', 'DPoP proof records'),
  PushedAuthorizationRequest: anyone('PushedAuthorizationRequest', 'pushed authorization requests'),
  ClientCredentials: anyone('ClientCredentials', 'client-credentials tokens'),
  AuthorizationCode: {
    bounded: true,
    pool: 'AuthorizationCode',
    owner: 'account',
    words: 'authorization codes',
    durable: true,
  },
};
const VISITOR_SESSION = anyone('VisitorSession', 'sessions of visitors who are not signed in');

export function storeKindOf(model: string, payload: AdapterPayload): StoreKind {
  const bounded = BOUNDED[model];
  if (bounded) return bounded;
  if (model === 'Session' && typeof payload['accountId'] !== 'string') return VISITOR_SESSION;
  return {
    bounded: false,
    pool: ACCOUNTS_POOL,
    durable: true,
    replaceable: model === 'AccessToken',
  };
}
