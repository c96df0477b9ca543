/**
 * Where the authorization server demands a DPoP nonce (RFC 9449 §8): at the token endpoint,
 * as Okta does, at userinfo (`/me`), and at revocation when a DPoP-bound refresh token is revoked
 * with a proof (revocation-policy.ts), so that proof follows the token endpoint's rules.
 * AS_DPOP_NONCE=off turns all three off.
 *
 * oidc-provider asks `features.dPoP.requireNonce(ctx)` for every request that carries a proof
 * (token, userinfo, pushed authorization requests), so the answer is scoped by route.
 * Measured (nonce tests in sign-in.spec.ts): at userinfo the handshake works end to end —
 * `401`, `WWW-Authenticate: DPoP error="use_dpop_nonce"`, a `DPoP-Nonce` header, and both
 * headers listed in `Access-Control-Expose-Headers` — and the retry with the nonce succeeds.
 * We require it there too because a client must handle that answer at userinfo anyway: a
 * nonce it cached from the token endpoint is accepted for only a few minutes (oidc-provider
 * rotates them every 60 s), after which userinfo answers `use_dpop_nonce` even when nonces
 * are not required. Requiring it makes that path the everyday one, so it stays tested.
 * Pushed authorization requests are left alone: the app does not use them.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { WorldConfig } from '../config.ts';

/** oidc-provider route names (lib/helpers/initialize_app.js). */
export const NONCE_ROUTES: ReadonlySet<string> = new Set(['token', 'userinfo', 'revocation']);

export function requireDpopNonce(config: Pick<WorldConfig, 'asRequireNonce'>) {
  return (ctx: KoaContextWithOIDC): boolean =>
    config.asRequireNonce && NONCE_ROUTES.has(ctx.oidc.route);
}
