import { inject, Injectable } from '@angular/core';

import { DpopResource, DpopTokenSource } from '../dpop';
import { Auth } from './auth';

/**
 * Gives the DPoP interceptor the access token for an allow-listed resource: the resource's
 * `resource` is the RFC 8707 indicator the token is for (none: the sign-in token, for userinfo).
 * A session of the walkthrough's bearer client has no DPoP tokens: null, and the request goes
 * on to the bearer comparison's own interceptor.
 */
@Injectable({ providedIn: 'root' })
export class AuthTokenSource implements DpopTokenSource {
  private readonly auth = inject(Auth);

  getAccessToken(resource: DpopResource): Promise<string | null> {
    return this.auth.mode() === 'DPoP'
      ? this.auth.accessToken(resource.resource)
      : Promise.resolve(null);
  }
}
