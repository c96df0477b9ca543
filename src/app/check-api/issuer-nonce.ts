import { createProofKey } from '@dpop-lab/protocol';

import { discover, postToken } from '../attacks/page-script';

/**
 * A nonce the authorization server issued, for the catalogue's "another server's nonce" check.
 * It hands one to anyone who asks (RFC 9449 §8): a token request it refuses anyway — a refresh
 * token that does not exist, with a proof of a throwaway key and no nonce — is answered
 * `use_dpop_nonce` with its `DPoP-Nonce`. Undefined when it issues none, or cannot be reached.
 */
export async function issuerNonce(
  issuer: string,
  clientId: string,
): Promise<{ value: string; issuedBy: string } | undefined> {
  try {
    const { token_endpoint } = await discover(issuer);
    const form = {
      grant_type: 'refresh_token',
      refresh_token: 'dpop-conformance-no-such-token',
      client_id: clientId,
    };
    const { challengedWith } = await postToken(token_endpoint, form, await createProofKey(), {
      retry: false,
    });
    return challengedWith ? { value: challengedWith, issuedBy: token_endpoint } : undefined;
  } catch {
    return undefined;
  }
}
