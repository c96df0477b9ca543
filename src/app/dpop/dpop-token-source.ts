import { DpopResource } from './dpop-resource';

/**
 * Supplies the access token for an allow-listed resource; the app implements it (it owns
 * sign-in and refresh) and registers it with `withTokenSource()`.
 *
 * Returning `null` means "no token": the interceptor then sends the request untouched.
 */
export abstract class DpopTokenSource {
  abstract getAccessToken(resource: DpopResource): Promise<string | null>;
}
