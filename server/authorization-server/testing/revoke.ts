/**
 * A revocation request (RFC 7009) for the specs, as the app sends it on sign-out: `token`,
 * `token_type_hint` and `client_id` in a form; with `dpop`, a DPoP proof of that client's key in
 * the `DPoP` header and one retry after a `use_dpop_nonce` answer (dpop-client.ts).
 *
 *   const { response, challenge } = await revoke(issuer, { token: alice.refreshToken, dpop: alice.dpop });
 *   await revoke(issuer, { token: copied });                        // no proof: a thief's request
 */
import { SPA_CLIENT_ID } from '../../config.ts';
import type { DpopClient, DpopFetchResult } from '../../testing/dpop-client.ts';
import { discover } from '../../testing/sign-in.ts';

export interface Revocation {
  token: string;
  /** Default `refresh_token`. */
  tokenTypeHint?: string;
  /** Default the SPA's. */
  clientId?: string;
  /** Sign a proof with this client's key; none without. */
  dpop?: DpopClient;
  headers?: Record<string, string>;
}

export async function revoke(issuer: string, revocation: Revocation): Promise<DpopFetchResult> {
  const {
    token,
    tokenTypeHint = 'refresh_token',
    clientId = SPA_CLIENT_ID,
    dpop,
    headers,
  } = revocation;
  const endpoint = (await discover(issuer)).revocation_endpoint;
  const init = {
    method: 'POST',
    headers,
    body: new URLSearchParams({ token, token_type_hint: tokenTypeHint, client_id: clientId }),
  };
  return dpop ? dpop.fetchWithDpop(endpoint, init) : { response: await fetch(endpoint, init) };
}
