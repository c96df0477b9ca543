/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the confirmation page that
 * `/session/end` shows to a signed-in user, and the page shown after signing out when the
 * app gave no `post_logout_redirect_uri`. oidc-provider supplies the form (it carries the
 * anti-CSRF `xsrf` value); we supply the page around it and the one button.
 *
 * One button only: by the time the app sends the browser here it has signed out, deleted its key
 * and revoked the refresh token, so a "Stay signed in" could not be honoured. The page offers
 * what can still be done — ending the session at this server — and the way back is the app's.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

import { escapeHtml, renderPage, sendPage } from './html.ts';

/** `features.rpInitiatedLogout.logoutSource`: `form` is oidc-provider's `<form id="op.logoutForm">`. */
export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  const clientName = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  const from = clientName ? ` of ${escapeHtml(clientName)}` : '';
  sendPage(
    ctx,
    renderPage({
      title: 'Sign out',
      body: `<h1>Sign out</h1>
<p>You asked to sign out${from}. Finish here: this ends your session at ${escapeHtml(ctx.host)}, so the next sign-in asks for your password again.</p>
${form}
<div class="field">
  <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
</div>`,
    }),
  );
}

/** `features.rpInitiatedLogout.postLogoutSuccessSource`, with a way back to the app. */
export function postLogoutSuccessSource(appUrl: string) {
  return (ctx: KoaContextWithOIDC): void => {
    sendPage(
      ctx,
      renderPage({
        title: 'Signed out',
        body: `<h1>Signed out</h1>
<p>You are signed out.</p>
<p><a href="${escapeHtml(appUrl)}">Back to DPoP Lab</a></p>`,
      }),
    );
  };
}
