import type { DpopResource } from './dpop-allow-list';

/**
 * Supplies the access token for an allow-listed resource. The app implements it (it owns sign-in
 * and refresh) and registers it with `withTokenSource()`.
 *
 * The token is DPoP-bound: the interceptor sends it as `Authorization: DPoP` with a proof.
 * `null` means "no token" (signed out): the interceptor then sends the request untouched.
 */
export abstract class DpopTokenSource {
  abstract getAccessToken(resource: DpopResource): Promise<string | null>;
}
