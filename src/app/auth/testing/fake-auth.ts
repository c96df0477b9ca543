import { AuthError } from '../auth-error';
import { AuthState } from '../auth-state';
import type { Auth } from '../auth';
import type { CallbackParams } from '../authorization-response';
import { UserClaims } from '../session';
import { TEST_METADATA } from './test-config';

/**
 * Stands in for `Auth` in view tests (`{ provide: Auth, useValue: new FakeAuth() }`). Typed as
 * `Auth`'s public members and built on the real `AuthState`, so it cannot drift from what the
 * views read; its methods only change that state. Spy on them to see the calls.
 */
export class FakeAuth implements Pick<Auth, keyof Auth> {
  private readonly state = new AuthState();
  readonly status = this.state.status;
  readonly isSignedIn = this.state.isSignedIn;
  readonly user = this.state.user;
  readonly displayName = this.state.displayName;
  readonly keyThumbprint = this.state.keyThumbprint;
  readonly error = this.state.error;
  readonly notice = this.state.notice;

  signInAs(user: UserClaims = { sub: 'alice', name: 'Alice Anders' }): void {
    this.state.setSession({
      jkt: 'test-key-thumbprint',
      signedInAt: Date.now(),
      revision: 0,
      idToken: 'x.y.z',
      user,
      tokens: {},
    });
  }

  failWith(error: AuthError): void {
    this.state.failed(error);
  }

  tell(notice: string): void {
    this.state.setSession(this.state.session(), notice);
  }

  restore(): Promise<void> {
    return Promise.resolve();
  }

  async signIn(_returnUrl = '/'): Promise<void> {
    this.state.signingIn();
  }

  async completeSignIn(_params: CallbackParams): Promise<string | null> {
    return '/';
  }

  callbackSettled(): Promise<void> {
    return Promise.resolve();
  }

  async accessToken(_resource?: string): Promise<string | null> {
    return null;
  }

  peekAccessToken(_resource?: string): string | null {
    return null;
  }

  async userinfoEndpoint(): Promise<string> {
    return TEST_METADATA.userinfo_endpoint!;
  }

  async signOut(): Promise<void> {
    this.state.setSession(null);
  }

  dismiss(): void {
    this.state.dismiss();
  }
}
