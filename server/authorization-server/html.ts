/**
 * The one layout every page of the authorization server uses (login, sign-out, errors):
 * system fonts and one `<style>` element, no external fonts, images or scripts, so the pages
 * work offline and a strict Content-Security-Policy can forbid everything else.
 */
import { createHash } from 'node:crypto';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const STYLE = `
:root { color-scheme: light dark; --accent: #1d4ed8; --danger: #b91c1c; --muted: #6b7280; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1.5rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: Canvas; color: CanvasText; }
main { width: 100%; max-width: 24rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent);
  border-radius: 0.75rem; }
h1 { margin: 0 0 0.25rem; font-size: 1.5rem; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); font-size: 0.875rem; }
form { display: grid; gap: 0.75rem; }
label { font-weight: 600; }
input { width: 100%; padding: 0.625rem 0.75rem; font: inherit; border: 1px solid var(--muted); border-radius: 0.375rem;
  background: Field; color: FieldText; }
input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button { padding: 0.625rem 1rem; font: inherit; font-weight: 600; border: 0; border-radius: 0.375rem; cursor: pointer;
  background: var(--accent); color: #fff; }
button.secondary { background: transparent; color: inherit; border: 1px solid var(--muted); }
[role="alert"] { margin: 0 0 1rem; padding: 0.75rem; border-radius: 0.375rem; border: 1px solid var(--danger);
  color: var(--danger); font-weight: 600; }
.field { display: grid; gap: 0.25rem; }
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * Response headers for our pages: nothing but our own `<style>` may load or run (CSP by hash,
 * so no 'unsafe-inline'), no framing (clickjacking of the login form), no caching.
 * `form-action` is deliberately absent: Chromium applies it to the redirects that follow a
 * form post, and the login form must end in a redirect to the app's origin.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** A whole HTML document. `body` must already be escaped HTML. */
export function renderPage({ title, body }: { title: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · DPoP Lab</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Sends a page from inside oidc-provider (a Koa context), with the same headers as our own routes. */
export function sendPage(
  ctx: { set(name: string, value: string): void; type: string; body: unknown },
  html: string,
): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = html;
}
