import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ActivatedRoute } from '@angular/router';

import { SignInButton } from '../shell/sign-in-button';
import { DemoAccounts } from './demo-accounts';

/** What each protected view shows, for a visitor who is not signed in yet. */
const VIEWS: Record<string, { title: string; shows: string }> = {
  profile: {
    title: 'Profile',
    shows:
      'What the authorization server’s userinfo endpoint says about you — asked for with a DPoP-bound token and a proof signed by this browser’s key.',
  },
  users: {
    title: 'Users',
    shows:
      'The people the resource API knows. The API answers only to a DPoP-bound token sent with a fresh proof signed by the key it is bound to.',
  },
  inspector: {
    title: 'Inspector',
    shows:
      'Every request the app signs with DPoP, decoded: the proofs, the nonce handshake, and how each token is bound to this browser’s key.',
  },
  attacks: {
    title: 'Attack lab',
    shows:
      'What a thief who copied your token (and a proof) would try, sent to the real API — and what DPoP does not stop: script running in the page.',
  },
  check: {
    title: 'Check this API',
    shows:
      'About forty DPoP checks (RFC 9449 and the OpenID FAPI 2.0 tests) run from this browser against the API, with your session’s key and token.',
  },
};

/**
 * A protected view as a signed-out visitor sees it (app.routes.ts): what it shows, and sign-in
 * right there, coming back to this view afterwards — never a silent redirect to another site.
 */
@Component({
  selector: 'app-sign-in-prompt',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DemoAccounts, SignInButton],
  template: `
    <h1>{{ view.title }}</h1>
    <p>{{ view.shows }}</p>
    <section class="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in to see it</h2>
      <p>
        Signing in makes a key pair in this browser and gets tokens bound to it. You sign in on the
        authorization server’s page, then come back here.
      </p>
      <p class="actions"><app-sign-in-button /></p>
      <app-demo-accounts />
    </section>
  `,
  styles: `
    h2 {
      margin: 0 0 0.5rem;
    }
  `,
})
export class SignInPrompt {
  protected readonly view = VIEWS[inject(ActivatedRoute).snapshot.routeConfig?.path ?? ''] ?? {
    title: 'Sign in needed',
    shows: 'This view shows what a signed-in session does.',
  };
}
