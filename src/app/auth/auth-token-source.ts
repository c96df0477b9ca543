import { inject, Injectable } from '@angular/core';
import { DpopAccessToken, DpopResource, DpopTokenSource } from '../dpop';
import { Auth } from './auth';

/**
 * Gives the DPoP interceptor the access token for an allow-listed resource: the resource's
 * `resource` is the RFC 8707 indicator the token is for (none: the sign-in token, used for
 * userinfo). Refreshes when the token is missing or about to expire.
 *
 * The token type is explicit: `DPoP` for the app's own sessions; `Bearer` only for a session of
 * the walkthrough's bearer client, whose tokens the server issued as `token_type: Bearer`.
 */
@Injectable({ providedIn: 'root' })
export class AuthTokenSource implements DpopTokenSource {
  private readonly auth = inject(Auth);

  async getAccessToken(resource: DpopResource): Promise<DpopAccessToken | null> {
    const token = await this.auth.accessToken(resource.resource);
    return token === null ? null : { token, type: this.auth.tokenType() };
  }
}
