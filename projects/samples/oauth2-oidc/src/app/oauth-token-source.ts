import { Injectable, inject } from '@angular/core';
import { DpopTokenSource } from '@dpop-lab/angular';
import { OAuthService } from 'angular-oauth2-oidc';

/**
 * The access token angular-oauth2-oidc holds, for the DPoP interceptor. The library refreshes only
 * on a timer (setupAutomaticSilentRefresh), so an expired token is refreshed here first.
 */
@Injectable()
export class OAuthTokenSource extends DpopTokenSource {
  private readonly oauth = inject(OAuthService);

  async getAccessToken(): Promise<string | null> {
    if (!this.oauth.getAccessToken()) return null;
    if (!this.oauth.hasValidAccessToken() && this.oauth.getRefreshToken()) {
      await refreshOnce(this.oauth);
    }
    return this.oauth.getAccessToken() || null;
  }
}

const refreshing = new WeakMap<OAuthService, Promise<unknown>>();

/**
 * `OAuthService.refreshToken()`, one at a time: the library has no lock, and two calls with the
 * same rotating refresh token would make the authorization server revoke the grant (RFC 9700
 * §4.14.2).
 */
export function refreshOnce(oauth: OAuthService): Promise<unknown> {
  let pending = refreshing.get(oauth);
  if (!pending) {
    pending = oauth.refreshToken().finally(() => refreshing.delete(oauth));
    refreshing.set(oauth, pending);
  }
  return pending;
}
