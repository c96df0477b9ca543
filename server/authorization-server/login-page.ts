/**
 * The login page (DESIGN.md contract): inputs labelled `Username` and `Password`, a `Sign in`
 * button, a `role="alert"` message after a failed attempt; no scripts, no external resources.
 */
import { DEMO_ACCOUNTS } from '../config.ts';
import { describeWait } from './describe-wait.ts';
import { escapeHtml, renderPage } from './html.ts';

export const WRONG_CREDENTIALS_MESSAGE = 'Wrong username or password.';

/** After a wrong password; `wait`: seconds before the next attempt is looked at (login-throttle.ts). */
export function wrongCredentialsMessage(wait: number): string {
  return wait > 0
    ? `${WRONG_CREDENTIALS_MESSAGE} Wait ${describeWait(wait)} before you try again.`
    : WRONG_CREDENTIALS_MESSAGE;
}

/** A sign-in refused unchecked, during a wait: the same words for every account name. */
export function tooManyFailuresMessage(wait: number): string {
  return `Too many failed sign-ins with this username or from your network. Wait ${describeWait(wait)}, then try again.`;
}

export interface LoginPageOptions {
  /** Where the form posts to: `/interaction/<uid>/login`. */
  action: string;
  /** Name of the app asking the user to sign in. */
  clientName: string;
  /** The username to show again after a failed attempt. */
  username?: string;
  /** A message for the user, read out by screen readers as soon as it appears. */
  error?: string;
}

export function renderLoginPage({
  action,
  clientName,
  username = '',
  error,
}: LoginPageOptions): string {
  const alert = error ? `<p role="alert">${escapeHtml(error)}</p>\n` : '';
  const demoAccounts = DEMO_ACCOUNTS.map(
    (account) => `<code>${escapeHtml(account.id)}</code>`,
  ).join(', ');
  return renderPage({
    title: 'Sign in',
    body: `<h1>Sign in</h1>
<p class="muted">to continue to ${escapeHtml(clientName)}</p>
${alert}<form method="post" action="${escapeHtml(action)}" autocomplete="on">
  <div class="field">
    <label for="username">Username</label>
    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
      spellcheck="false" required value="${escapeHtml(username)}"${username ? '' : ' autofocus'}>
  </div>
  <div class="field">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required${username ? ' autofocus' : ''}>
  </div>
  <button type="submit">Sign in</button>
</form>
<p class="muted">Demo accounts: ${demoAccounts} (password: the username followed by <code>-password</code>).</p>`,
  });
}
