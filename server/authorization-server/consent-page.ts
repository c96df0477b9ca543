/**
 * The consent page of the clients that ask (clients.ts: consentFor): what the app asks for, in
 * words, and what is different about it — the plain-bearer client's tokens work for anyone who
 * copies them; the command line's client ID can be used by any program on the machine.
 * `Allow` and `Cancel` post to `/interaction/<uid>/consent`. No scripts, no external resources
 * (html.ts).
 */
import { BEARER_CLIENT_ID, CLI_CLIENT_ID } from '../config.ts';
import { escapeHtml, renderPage } from './html.ts';

/** What each scope lets the app do, in the user's words. */
const SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: 'know who you are',
  profile: 'see your name and username',
  email: 'see your email address',
  'users:read': 'read the users API for you',
  'apps:read': 'read the apps API for you',
};

interface AboutClient {
  /** It gets a refresh token for these scopes (clients.ts: issueRefreshToken). */
  refreshToken(scopes: readonly string[]): boolean;
  /** What the user should know before allowing it, as HTML. */
  note: string;
}

const ABOUT: Readonly<Record<string, AboutClient>> = {
  [BEARER_CLIENT_ID]: {
    refreshToken: () => true,
    note: `<p>Its tokens are plain bearer tokens, bound to no key: anyone who copies one — a script in the
page, a log, a proxy — can use it until it expires. You are asked once per session.</p>`,
  },
  [CLI_CLIENT_ID]: {
    refreshToken: (scopes) => scopes.includes('offline_access'),
    note: `<p>It is a program on this computer, such as <code>npm run conformance -- --sign-in</code>.
Any program can use this name, so allow it only if you have just started one. Its tokens are
bound to a key that program holds (DPoP). You are asked once per session.</p>`,
  },
};

export interface ConsentPageOptions {
  /** Where the form posts to: `/interaction/<uid>/consent`. */
  action: string;
  clientId: string | undefined;
  clientName: string;
  /** The requested scope, space-separated. */
  scope: string;
}

export function renderConsentPage({
  action,
  clientId,
  clientName,
  scope,
}: ConsentPageOptions): string {
  const scopes = scope.split(' ');
  const about = ABOUT[clientId ?? ''];
  const asks = scopes
    .flatMap((name) => (SCOPE_WORDS[name] ? [`<li>${escapeHtml(SCOPE_WORDS[name])}</li>`] : []))
    .concat(
      about?.refreshToken(scopes)
        ? ['<li>keep you signed in for up to 24 hours (a refresh token)</li>']
        : [],
    )
    .join('\n');
  return renderPage({
    title: 'Allow access',
    body: `<h1>Allow access?</h1>
<p><strong>${escapeHtml(clientName)}</strong> asks to:</p>
<ul>
${asks}
</ul>
${about?.note ?? ''}
<form method="post" action="${escapeHtml(action)}">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
</form>`,
  });
}
