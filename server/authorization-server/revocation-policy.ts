/**
 * Who may revoke what at the revocation endpoint (RFC 7009): oidc-provider's
 * `features.revocation.allowedPolicy`, which it asks once it has found the token. `false` answers
 * `200` and revokes nothing (RFC 7009 §2.2); a thrown error is answered as a JSON error.
 *
 * - A client revokes only its own tokens.
 * - A **DPoP-bound refresh token** is revoked only with a DPoP proof of its key in the `DPoP`
 *   header, checked exactly as at the token endpoint (RFC 9449 §4.3, §5; oidc-provider's own
 *   validate_dpop.js): `htm` POST, `htu` this endpoint, a fresh `iat`, the server's nonce when
 *   nonces are on (`400 use_dpop_nonce` with a `DPoP-Nonce` header first, §8), and a `jti` used
 *   once. RFC 9449 defines no proof for revocation; without this rule anyone holding a copy of the
 *   token — which is useless to them without the key — could still end the user's session.
 *   Revoking it ends its grant: every token of that sign-in.
 * - A **public client's access token** ends alone: oidc-provider would revoke its whole grant,
 *   and for a public client anyone holding a copy of the token could ask (RFC 7009 §2.1 leaves
 *   revoking the grant with an access token to the server).
 * - Anything else (the plain-bearer client's unbound refresh token, a confidential client's
 *   tokens) is revoked as oidc-provider does by default.
 */
import { errors, type Client, type KoaContextWithOIDC, type RevocableToken } from 'oidc-provider';
import validateDpop, { checkDpopReplay } from 'oidc-provider/lib/helpers/validate_dpop.js';

/** What to send instead, for every refusal here. */
const howTo = (endpoint: string) =>
  `revoke it with a DPoP proof signed with its key in the DPoP header (htm POST, htu ${endpoint}, ` +
  'a fresh iat, a new jti, and the nonce from the last DPoP-Nonce header).';

/** Throws unless the request carries a valid, unused DPoP proof of the key `jkt`. */
async function checkProofOfKey(ctx: KoaContextWithOIDC, jkt: string): Promise<void> {
  const { provider, client } = ctx.oidc;
  const endpoint = ctx.oidc.urlFor('revocation');
  // oidc-provider's own refusals say what was wrong; these add what to send instead.
  const explained = (error: unknown) =>
    error instanceof errors.InvalidDpopProof
      ? new errors.InvalidDpopProof(
          `${error.error_description}: this refresh token is bound to a DPoP key; ${howTo(endpoint)}`,
        )
      : error; // use_dpop_nonce goes out as it is: its DPoP-Nonce header is set
  const proof = await validateDpop(provider, ctx).catch((error: unknown) => {
    throw explained(error);
  });
  if (!proof) {
    throw new errors.InvalidRequest(
      `This refresh token is bound to a DPoP key (RFC 9449) and the request has no DPoP header: ${howTo(endpoint)}`,
    );
  }
  if (proof.thumbprint !== jkt) {
    throw new errors.InvalidDpopProof(
      `The DPoP proof is signed with another key than the one this refresh token is bound to: ${howTo(endpoint)}`,
    );
  }
  // Last, so that a refused proof records nothing (RFC 9449 §11.1: a jti is used once).
  await checkDpopReplay(provider, ctx, proof, client?.clientId, errors.InvalidDpopProof).catch(
    (error: unknown) => {
      throw explained(error);
    },
  );
}

export async function revocationAllowed(
  ctx: KoaContextWithOIDC,
  client: Client,
  token: RevocableToken,
): Promise<boolean> {
  if (token.clientId !== client.clientId) return false;
  if (token.kind === 'RefreshToken' && typeof token.jkt === 'string') {
    await checkProofOfKey(ctx, token.jkt);
    return true;
  }
  if (token.kind === 'AccessToken' && client.clientAuthMethod === 'none') {
    await token.destroy();
    return false;
  }
  return true;
}
