/**
 * The revocation endpoint's answers let the app's page read `DPoP-Nonce`, as the token endpoint's
 * do. oidc-provider's CORS for revocation exposes only `WWW-Authenticate` (it expects no DPoP
 * there), but revoking a DPoP-bound refresh token needs a proof with the server's nonce
 * (revocation-policy.ts): without the header exposed, a browser could not learn the nonce from a
 * `use_dpop_nonce` answer and retry.
 */
import type { Provider } from 'oidc-provider';

export function exposeDpopNonceAtRevocation(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'revocation' || !ctx.response.get('Access-Control-Allow-Origin')) {
      return;
    }
    const exposed = ctx.response.get('Access-Control-Expose-Headers');
    if (!/(^|,)\s*DPoP-Nonce\s*(,|$)/i.test(exposed)) {
      ctx.set('Access-Control-Expose-Headers', exposed ? `${exposed}, DPoP-Nonce` : 'DPoP-Nonce');
    }
  });
}
