import { Injectable, inject } from '@angular/core';
import { DpopTokenSource } from '@dpop-lab/angular';
import { OidcSecurityService } from 'angular-auth-oidc-client';
import { firstValueFrom } from 'rxjs';

/**
 * The access token angular-auth-oidc-client holds, for the DPoP interceptor. The library renews
 * it with the refresh token before it expires (`silentRenew` + `useRefreshToken`).
 */
@Injectable()
export class OidcClientTokenSource extends DpopTokenSource {
  private readonly oidc = inject(OidcSecurityService);

  async getAccessToken(): Promise<string | null> {
    return (await firstValueFrom(this.oidc.getAccessToken())) || null;
  }
}
