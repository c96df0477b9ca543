/**
 * The loopback redirect of a sign-in from the command line (RFC 8252 §7.3): an HTTP server on
 * 127.0.0.1, on whatever port is free, that waits for the browser to come back from the
 * authorization server with the code. The page it answers says in plain words that the command
 * has the code and the tab can be closed: no script, no external resources, nothing the request
 * carried is echoed back, and it is not cached (the URL holds the code).
 *
 *   const loopback = await startLoopbackRedirect(state);
 *   loopback.redirectUri                        // http://127.0.0.1:<port>/callback
 *   const { code, iss } = await loopback.wait(300_000);   // rejects with SignInFailed
 *   await loopback.close();
 *
 * Only the request that carries this sign-in's `state` (RFC 6749 §10.12) counts; another one (a
 * stale tab, another program) gets a page that says so, and the wait goes on until its time limit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { PAGE_HEADERS, renderPage } from '../authorization-server/html.ts';
import { listen } from '../listen.ts';

export const CALLBACK_PATH = '/callback';

/** The sign-in ended without a code: the message says why and what to do. */
export class SignInFailed extends Error {
  override readonly name = 'SignInFailed';
}

export interface AuthorizationResponse {
  code: string;
  /** RFC 9207: the issuer that sent the browser back, when it says. */
  iss?: string;
}

export interface LoopbackRedirect {
  redirectUri: string;
  /** The authorization response of this sign-in, or SignInFailed after `timeoutMs`. */
  wait(timeoutMs: number): Promise<AuthorizationResponse>;
  close(): Promise<void>;
}

const PAGES = {
  done: renderPage({
    title: 'Signed in',
    body: `<h1>Signed in</h1>
<p>The command line has the code and goes on with the checks. You can close this tab.</p>`,
  }),
  refused: renderPage({
    title: 'Sign-in not completed',
    body: `<h1>Sign-in not completed</h1>
<p>The authorization server sent you back without a code. The command line says why. You can close
this tab.</p>`,
  }),
  unexpected: renderPage({
    title: 'Not this sign-in',
    body: `<h1>Not this sign-in</h1>
<p>This answer belongs to another sign-in than the one the command line is waiting for: open the
URL it printed last. You can close this tab.</p>`,
  }),
  notFound: renderPage({
    title: 'Nothing here',
    body: `<h1>Nothing here</h1>
<p>The command line waits for the sign-in on ${CALLBACK_PATH} only.</p>`,
  }),
} as const;

function answer(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, Connection: 'close' }).end(html);
}

export async function startLoopbackRedirect(state: string): Promise<LoopbackRedirect> {
  let settle: { resolve(value: AuthorizationResponse): void; reject(error: Error): void };
  const response = new Promise<AuthorizationResponse>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A refusal that arrives before anyone waits is kept for wait(), not reported as unhandled.
  response.catch(() => undefined);
  // Settled once: later requests still get their page, but change nothing.
  let settled = false;
  const finish = (outcome: AuthorizationResponse | SignInFailed) => {
    if (settled) return;
    settled = true;
    if (outcome instanceof SignInFailed) settle.reject(outcome);
    else settle.resolve(outcome);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      answer(res, 404, PAGES.notFound);
      return;
    }
    const params = url.searchParams;
    if (params.get('state') !== state) {
      answer(res, 400, PAGES.unexpected);
      return;
    }
    const code = params.get('code');
    const iss = params.get('iss');
    if (code) {
      answer(res, 200, PAGES.done);
      finish({ code, ...(iss === null ? {} : { iss }) });
      return;
    }
    answer(res, 200, PAGES.refused);
    const error = params.get('error') ?? 'no code and no error';
    const description = params.get('error_description');
    finish(
      new SignInFailed(
        `The authorization server sent the browser back with ${error}${description ? ` (${description})` : ''}: sign in again, and allow the access it asks for.`,
      ),
    );
  }

  const listening = await listen(createServer(handle), 0, '127.0.0.1');
  const redirectUri = `${listening.url}${CALLBACK_PATH}`;
  return {
    redirectUri,
    async wait(timeoutMs) {
      const timer = setTimeout(
        () =>
          finish(
            new SignInFailed(
              `No sign-in came back to ${redirectUri} within ${Math.round(timeoutMs / 1000)} s: open the URL above in a browser on this computer and sign in, or give more time with --sign-in-timeout SECONDS.`,
            ),
          ),
        timeoutMs,
      );
      try {
        return await response;
      } finally {
        clearTimeout(timer);
      }
    },
    close: listening.close,
  };
}
