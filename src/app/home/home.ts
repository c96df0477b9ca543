import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Auth } from '../auth/auth';
import { DemoAccounts } from '../sign-in-prompt/demo-accounts';
import { DpopCompared } from './dpop-compared';

/**
 * The first page: what DPoP is, spelled out, and the lab's path — 1 sign in → 2 call the API →
 * 3 inspect → 4 attack — with the demo accounts where a newcomer needs them; then what DPoP does
 * and does not do.
 */
@Component({
  selector: 'app-home',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DemoAccounts, DpopCompared],
  template: `
    <h1>DPoP Lab</h1>
    <p class="lead">
      <strong>DPoP — Demonstrating Proof of Possession</strong> (RFC 9449) binds the tokens of a
      sign-in to a key that never leaves this browser. Every call carries a fresh proof signed with
      that key, so a stolen token is useless anywhere else. This lab lets you watch it work, and try
      to break it.
    </p>

    <section aria-labelledby="path-heading">
      <h2 id="path-heading">Four steps</h2>
      <ol class="path">
        <li [attr.data-done]="auth.isSignedIn()">
          <strong>Sign in.</strong>
          @if (auth.isSignedIn()) {
            Done: you are signed in as <strong>{{ auth.displayName() }}</strong>, and your tokens
            are bound to this browser’s key, thumbprint
            <code data-testid="home-thumbprint">{{ auth.keyThumbprint() }}</code>.
          } @else {
            Use <strong>Sign in</strong> at the top of the page. You sign in on the authorization
            server’s page and come back here.
            <app-demo-accounts />
          }
        </li>
        <li>
          <strong>Call the API.</strong> Open <a routerLink="/users">Users</a> (the resource API) or
          <a routerLink="/profile">Profile</a> (userinfo): each call carries a DPoP proof, and the
          page tells you what DPoP did on it.
        </li>
        <li>
          <strong>Inspect.</strong> The <a routerLink="/inspector">Inspector</a> shows every request
          the app signed, decoded: the proof, the nonce handshake, the token’s binding to the key.
        </li>
        <li>
          <strong>Attack.</strong> The <a routerLink="/attacks">Attack lab</a> tries what a thief
          with a copy of your token would, against the real API — and shows the same theft with a
          plain bearer token, side by side. <a routerLink="/check">Check this API</a> runs about
          forty DPoP checks at once.
        </li>
      </ol>
    </section>

    <app-dpop-compared />
  `,
  styles: `
    .lead {
      font-size: 1.0625rem;
    }
    .path {
      padding-left: 1.5rem;
    }
    .path li {
      margin: 0 0 0.75rem;
      padding-left: 0.25rem;
    }
    .path li[data-done='true']::marker {
      content: '✓  ';
      color: #166534;
      font-weight: 700;
    }
  `,
})
export class Home {
  protected readonly auth = inject(Auth);
}
