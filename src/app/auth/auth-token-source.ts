import { inject, Injectable } from '@angular/core';
import { DpopResource, DpopTokenSource } from '@dpop-lab/angular';

import { Auth } from './auth';

/**
 * Gives the DPoP interceptor the access token for an allow-listed resource: the resource's
 * `resource` is the RFC 8707 indicator the token is for (none: the sign-in token, for userinfo).
 */
@Injectable({ providedIn: 'root' })
export class AuthTokenSource implements DpopTokenSource {
  private readonly auth = inject(Auth);

  getAccessToken(resource: DpopResource): Promise<string | null> {
    return this.auth.accessToken(resource.resource);
  }
}
