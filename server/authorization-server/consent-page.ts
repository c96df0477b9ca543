/**
 * The consent page the plain-bearer client gets (consent.ts): what the app asks for, in words,
 * and what is different about its tokens; `Allow` and `Cancel` post to `/interaction/<uid>/consent`.
 * No scripts, no external resources (html.ts).
 */
import { escapeHtml, renderPage } from './html.ts';

/** What each scope lets the app do, in the user's words. */
const SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: 'know who you are',
  profile: 'see your name and username',
  email: 'see your email address',
  'users:read': 'read the users API for you',
  'apps:read': 'read the apps API for you',
};

export interface ConsentPageOptions {
  /** Where the form posts to: `/interaction/<uid>/consent`. */
  action: string;
  clientName: string;
  /** The requested scope, space-separated. */
  scope: string;
}

export function renderConsentPage({ action, clientName, scope }: ConsentPageOptions): string {
  const asks = scope
    .split(' ')
    .flatMap((name) => (SCOPE_WORDS[name] ? [`<li>${escapeHtml(SCOPE_WORDS[name])}</li>`] : []))
    .join('\n');
  return renderPage({
    title: 'Allow access',
    body: `<h1>Allow access?</h1>
<p><strong>${escapeHtml(clientName)}</strong> asks to:</p>
<ul>
${asks}
<li>keep you signed in for up to 24 hours (a refresh token)</li>
</ul>
<p>Its tokens are plain bearer tokens, bound to no key: anyone who copies one — a script in the
page, a log, a proxy — can use it until it expires. You are asked once per session.</p>
<form method="post" action="${escapeHtml(action)}">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
</form>`,
  });
}
