import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { OidcMetadata } from './oidc-discovery';
import { pickUser, Session, UserClaims } from './session';
import { SessionKeeper } from './session-keeper';

/**
 * The name to show from the first page after sign-in. An ID token need not carry `name`: many
 * providers (oidc-provider, which the embedded server runs, among them) put the profile claims of
 * the `profile` and `email` scopes only in the userinfo response when an access token is issued
 * too (OpenID Connect Core §5.4). So when the ID token has no `name`, sign-in reads userinfo
 * once, with the sign-in token, and the session keeps the claims: no request per page load.
 */
@Injectable({ providedIn: 'root' })
export class UserinfoClaims {
  private readonly http = inject(HttpClient);
  private readonly keeper = inject(SessionKeeper);

  /**
   * Completes `session.user` from the userinfo endpoint when its ID token had no name. A failure
   * only costs the name (the header shows the email or `sub`): it is logged, never thrown.
   */
  async complete(session: Session, metadata: OidcMetadata): Promise<void> {
    const endpoint = metadata.userinfo_endpoint;
    if (session.user.name !== undefined || !endpoint) return;
    try {
      const claims = await firstValueFrom(this.http.get<Partial<UserClaims> | null>(endpoint));
      // OpenID Connect Core §5.3.2: a userinfo `sub` other than the ID token's must not be used.
      if (claims?.sub !== session.user.sub) {
        throw new Error(`its "sub" ${JSON.stringify(claims?.sub)} is not the ID token's`);
      }
      await this.keeper.change(async (newest) => {
        // Only into this sign-in's session, and the ID token's own claims win.
        if (newest?.signedInAt !== session.signedInAt) return;
        const user = { ...pickUser(claims as UserClaims), ...newest.user };
        await this.keeper.save({ ...newest, revision: newest.revision + 1, user });
      });
    } catch (error) {
      console.warn(
        `Signed in, but the userinfo response of ${endpoint} could not complete the user's ` +
          `claims (${error instanceof Error ? error.message : String(error)}); the app shows ` +
          `"${session.user.email ?? session.user.sub}" instead of a name.`,
      );
    }
  }
}
