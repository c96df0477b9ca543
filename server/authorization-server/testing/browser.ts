/**
 * A browser for the login specs: its own cookies (so its device cookie, device-cookies.ts) and its
 * own client address on loopback (127.0.0.2, 127.0.0.3… all reach a server on 127.0.0.1), so a
 * spec can sign in as alice from her browser while a guesser sends wrong passwords from elsewhere.
 *
 *   const alice = new Browser();                       // 127.0.0.1, no cookies
 *   const guesser = new Browser('127.0.0.2');
 *   const answer = await guesser.signIn(issuer, 'alice', 'wrong');   // { status, retryAfter, alert }
 */
import { request } from 'node:http';

import { CookieJar } from '../../testing/cookie-jar.ts';
import { authorizationRequest } from '../../testing/sign-in.ts';

export interface LoginAnswer {
  status: number;
  /** Seconds, when the server named a wait. */
  retryAfter: number | null;
  /** The login page's message, when it showed one. */
  alert: string | undefined;
}

/** fetch() from a given loopback address, without following redirects; the body as text. */
function fetchFrom(localAddress: string, url: string, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  const body = init.body === undefined || init.body === null ? undefined : String(init.body);
  const headers = new Headers(init.headers);
  if (body !== undefined) headers.set('Content-Type', 'application/x-www-form-urlencoded');
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers),
        localAddress,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          const received = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) {
            for (const one of [value ?? []].flat()) received.append(name, one);
          }
          resolve(
            new Response(Buffer.concat(chunks), { status: answer.statusCode, headers: received }),
          );
        });
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

export class Browser {
  readonly jar = new CookieJar();

  constructor(readonly address = '127.0.0.1') {}

  /** fetch() from this browser's address with its cookies, storing the ones it gets. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(url);
    if (cookie) headers.set('Cookie', cookie);
    const response = await fetchFrom(this.address, url, { ...init, headers });
    this.jar.store(response);
    return response;
  }

  /** Opens the app's sign-in (GET /auth) and follows it to the login page; the form's action. */
  async loginPage(issuer: string): Promise<string> {
    let url = (await authorizationRequest({ issuer })).url;
    for (let hop = 0; hop < 5; hop++) {
      const response = await this.fetch(url);
      const location = response.headers.get('location');
      if (!location) {
        const action = /<form[^>]*\saction="([^"]+)"/.exec(await response.text())?.[1];
        if (!action) throw new Error(`no login form at ${url} (status ${response.status})`);
        return new URL(action.replaceAll('&amp;', '&'), url).href;
      }
      url = new URL(location, url).href;
    }
    throw new Error(`no login page within 5 redirects of ${issuer}/auth`);
  }

  /** Posts the login form of a new sign-in; 303: signed in. */
  async signIn(issuer: string, username: string, password: string): Promise<LoginAnswer> {
    return this.submit(await this.loginPage(issuer), username, password);
  }

  /** Posts a login form at `action` (an open login page). */
  async submit(action: string, username: string, password: string): Promise<LoginAnswer> {
    const response = await this.fetch(action, {
      method: 'POST',
      body: new URLSearchParams({ username, password }),
    });
    const retryAfter = response.headers.get('retry-after');
    return {
      status: response.status,
      retryAfter: retryAfter === null ? null : Number(retryAfter),
      alert: /<p role="alert">([^<]*)<\/p>/.exec(await response.text())?.[1],
    };
  }
}
