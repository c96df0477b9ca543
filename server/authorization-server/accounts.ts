/**
 * The demo accounts (DEMO_ACCOUNTS in ../config.ts) as oidc-provider accounts: the password
 * check behind the login page, and `findAccount`, which supplies the claims for ID tokens
 * and userinfo (OIDC Core §5.4: `profile` → name, preferred_username; `email` → email,
 * email_verified).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { Account, AccountClaims, KoaContextWithOIDC } from 'oidc-provider';

import { DEMO_ACCOUNTS } from '../config.ts';

type DemoAccount = (typeof DEMO_ACCOUNTS)[number];

function byId(id: string): DemoAccount | undefined {
  return DEMO_ACCOUNTS.find((account) => account.id === id);
}

/** Compares digests, so the time taken says nothing about how much of the password matched. */
function samePassword(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The account id for a correct username and password, otherwise undefined. */
export function authenticate(username: string, password: string): string | undefined {
  const account = byId(username.trim());
  // Compare against something even for unknown users: no timing hint about which names exist.
  const matches = samePassword(password, account?.password ?? 'no such account');
  return account && matches ? account.id : undefined;
}

export function claimsFor(account: DemoAccount): AccountClaims {
  return {
    sub: account.id,
    name: account.name,
    preferred_username: account.id,
    email: account.email,
    email_verified: true,
  };
}

/** oidc-provider's `findAccount`: the claims are filtered by granted scopes and claims afterwards. */
export async function findAccount(
  _ctx: KoaContextWithOIDC,
  sub: string,
): Promise<Account | undefined> {
  const account = byId(sub);
  if (!account) return undefined;
  return { accountId: account.id, claims: () => claimsFor(account) };
}

/** The `claims` configuration: which claims each scope releases. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
} satisfies Record<string, string[]>;
