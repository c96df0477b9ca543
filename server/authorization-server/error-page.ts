/**
 * oidc-provider's `renderError`: the page a browser sees when a request cannot be answered
 * with a redirect to the app (an unknown client or redirect URI, an expired sign-in). `out`
 * holds `error` and `error_description`; everything is escaped.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

import { escapeHtml, renderPage, sendPage } from './html.ts';

export function renderErrorPage(out: Record<string, string>): string {
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd><code>${escapeHtml(value)}</code></dd>`)
    .join('\n');
  return renderPage({
    title: 'Something went wrong',
    body: `<h1>Something went wrong</h1>
<p>The sign-in request could not be completed. Go back to the app and sign in again.</p>
<dl>
${rows}
</dl>`,
  });
}

export function renderError(ctx: KoaContextWithOIDC, out: Record<string, string>): void {
  sendPage(ctx, renderErrorPage(out));
}
