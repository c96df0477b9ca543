/**
 * What is kept of a spent (rotated-out) refresh token once the store needs its room: enough for
 * oidc-provider's refresh grant to recognise it when it comes back and revoke its grant
 * (lib/actions/grants/refresh_token.js checks the client, the expiry, the DPoP key `jkt`, the
 * grant, the scope and the account before it reads `consumed`). Everything else — the nonce,
 * claims, resource, session binding — is dropped: a marker is about half the token's size, lives
 * until the token would have expired, and is never redeemed (it is spent).
 *
 * RFC 9700 §4.14.2: "If a refresh token is compromised and subsequently used by both the attacker
 * and the legitimate client, one of them will present an invalidated refresh token, which will
 * inform the authorization server of the breach" — only if the server still knows the token.
 */
import type { AdapterPayload } from 'oidc-provider';

import type { Entry } from './store-entry.ts';

const KEPT = [
  'iat',
  'exp',
  'jti',
  'kind',
  'clientId',
  'grantId',
  'accountId',
  'jkt',
  'x5t#S256',
  'scope',
  'consumed',
] as const;

/** A consumed refresh token: the only entries that leave a marker when evicted. */
export const isSpentRefreshToken = (entry: Entry) =>
  entry.model === 'RefreshToken' && entry.payload['consumed'] !== undefined && !entry.marker;

export function spentMarkerOf(entry: Entry): Entry {
  const payload: AdapterPayload = {};
  for (const field of KEPT) {
    if (entry.payload[field] !== undefined) payload[field] = entry.payload[field];
  }
  const marker: Entry = { ...entry, payload, marker: true };
  return marker;
}
