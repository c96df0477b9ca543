import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Auth } from '../auth/auth';
import { DpopCompared } from './dpop-compared';

@Component({
  selector: 'app-home',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DpopCompared],
  template: `
    <h1>DPoP Lab</h1>
    <p>
      This app signs you in with OAuth 2.0 (authorization code with PKCE) and binds every access
      token to a key pair that never leaves this browser, so a stolen token is useless anywhere else
      (DPoP, RFC 9449). Each call to the API carries a fresh proof signed with that key: watch the
      <code>DPoP</code> headers, nonces and retries in DevTools → Network.
    </p>
    @if (auth.isSignedIn()) {
      <p>
        Signed in as <strong>{{ auth.displayName() }}</strong>. See
        <a routerLink="/profile">your profile</a> (userinfo) or
        <a routerLink="/users">the users</a> (the resource API); then open the
        <a routerLink="/inspector">inspector</a> to read what went over the wire, or the
        <a routerLink="/attacks">attack lab</a> to try what a thief would.
      </p>
    } @else {
      <p>
        Use <strong>Sign in</strong> at the top to start; <code>npm start</code> prints the demo
        accounts.
      </p>
    }
    <app-dpop-compared />
  `,
})
export class Home {
  protected readonly auth = inject(Auth);
}
