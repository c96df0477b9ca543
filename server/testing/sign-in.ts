/**
 * Browserless sign-in against the real authorization server: authorization code + PKCE (S256)
 * + DPoP, through the real login page, with a cookie jar. For tests that need real tokens.
 *
 *   const alice = await signIn({ issuer });                 // code exchange (nonce handshake included)
 *   alice.tokens.access_token                               // opaque, DPoP-bound, for /me (userinfo)
 *   alice.dpop                                              // the client whose key the tokens are bound to
 *   const api = await alice.refresh({ resource: apiResource });
 *   api.body.access_token                                   // RFC 9068 JWT, aud = apiResource, cnf.jkt = alice.dpop.key.thumbprint
 *
 *   // or in one call, for a resource server's integration test:
 *   const accessToken = await apiAccessToken({ issuer, dpop, resource: apiResource });
 *
 * Without `dpop`, each sign-in makes a client with a fresh key. Lower-level steps, for tests of
 * the individual behaviours:
 *   authorizationRequest(options)    the authorization request URL, with its state, nonce and PKCE
 *   startAuthorization(options)      GET /auth → redirect → login page (throws AuthorizationError
 *                                    if the server redirects back with `error`)
 *   submitLogin(started, user, pw)   POST the form → { code } or { status, html } if refused
 *   exchangeCode(started)            the token request, returns status and body as they came
 *   refreshTokens(options)           the refresh token grant, likewise
 *
 * For an authorization request someone else made (a CLI printed its URL, a client library built
 * it): `signInAt(url)` logs in as alice there and returns the redirect back, with the code.
 */
import { createHash, randomBytes } from 'node:crypto';

import { BEARER_CLIENT_ID, DEMO_ACCOUNTS, readConfig, SPA_CLIENT_ID } from '../config.ts';
import { CookieJar } from './cookie-jar.ts';
import { DpopClient, type NonceChallenge } from './dpop-client.ts';

export const DEFAULT_SCOPE = 'openid profile email offline_access users:read apps:read';

export interface SignInOptions {
  /** The authorization server's issuer (also its base URL). */
  issuer: string;
  /**
   * Its key binds the tokens (`dpop_jkt` on the authorization request, proofs at the token
   * endpoint); default a client with a fresh key.
   */
  dpop?: DpopClient;
  /** Default `alice`, with the demo password. */
  username?: string;
  password?: string;
  clientId?: string;
  /**
   * Default the client's callback on the default SPA origin: `/login/callback`, or
   * `/bearer/callback` for the bearer client (the app's comparison has its own).
   */
  redirectUri?: string;
  scope?: string;
  /** `resource` on the authorization request (RFC 8707); default: none. */
  resource?: string;
  /** PKCE method; `none` sends no code challenge (default `S256`). */
  pkce?: 'S256' | 'plain' | 'none';
  /** `dpop_jkt` on the authorization request; default the thumbprint of `dpop`, `null` to omit. */
  dpopJkt?: string | null;
  /** `prompt` on the authorization request (e.g. `none`: answer without showing a page). */
  prompt?: string;
  /**
   * What to answer a consent page (the bearer client's) after the login: `allow` (default),
   * `deny`, or `show`: stop there, and `submitLogin` returns the page.
   */
  consent?: 'allow' | 'deny' | 'show';
}

/** The options as used: `dpop` filled in. */
type UsedOptions = SignInOptions & { dpop: DpopClient };

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export interface TokenResult {
  status: number;
  headers: Headers;
  /** The JSON body: a TokenResponse on 200, `{ error, error_description }` otherwise. */
  body: Record<string, unknown>;
  /** The nonce challenge answered before this response, if there was one. */
  challenge?: NonceChallenge;
}

/** The authorization server redirected back to the app with an error (RFC 6749 §4.1.2.1). */
export class AuthorizationError extends Error {
  constructor(
    readonly error: string,
    readonly errorDescription: string | null,
  ) {
    super(`${error}: ${errorDescription ?? ''}`);
    this.name = 'AuthorizationError';
  }
}

interface Metadata {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  revocation_endpoint: string;
}

export async function discover(issuer: string): Promise<Metadata> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery at ${issuer} answered ${response.status}`);
  return (await response.json()) as Metadata;
}

const random = () => randomBytes(32).toString('base64url');

export interface AuthorizationRequest {
  options: UsedOptions;
  url: string;
  redirectUri: string;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export interface StartedAuthorization extends AuthorizationRequest {
  jar: CookieJar;
  /** The login page. */
  loginPage: { url: string; status: number; html: string; action: string };
}

function defaultRedirectUri(clientId: string | undefined): string {
  const path = clientId === BEARER_CLIENT_ID ? '/bearer/callback' : '/login/callback';
  return `${readConfig({}).spaOrigin}${path}`;
}

/** The authorization request (RFC 6749 §4.1.1 + PKCE + `dpop_jkt`), not sent yet. */
export async function authorizationRequest(options: SignInOptions): Promise<AuthorizationRequest> {
  const { issuer, pkce = 'S256' } = options;
  const dpop = options.dpop ?? (await DpopClient.create());
  const redirectUri = options.redirectUri ?? defaultRedirectUri(options.clientId);
  const codeVerifier = random();
  const state = random();
  const nonce = random();

  const url = new URL((await discover(issuer)).authorization_endpoint);
  const params: Record<string, string | undefined> = {
    client_id: options.clientId ?? SPA_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? DEFAULT_SCOPE,
    state,
    nonce,
    resource: options.resource,
    prompt: options.prompt,
    dpop_jkt: options.dpopJkt === null ? undefined : (options.dpopJkt ?? dpop.key.thumbprint),
  };
  if (pkce === 'S256') {
    params['code_challenge'] = createHash('sha256').update(codeVerifier).digest('base64url');
    params['code_challenge_method'] = 'S256';
  } else if (pkce === 'plain') {
    params['code_challenge'] = codeVerifier;
    params['code_challenge_method'] = 'plain';
  }
  url.search = formOf(params).toString();
  return { options: { ...options, dpop }, url: url.href, redirectUri, codeVerifier, state, nonce };
}

/** GET an authorization request URL and follow redirects to the login page. */
async function openLoginPage(
  jar: CookieJar,
  url: string,
  redirectUri: string,
): Promise<StartedAuthorization['loginPage']> {
  const { url: pageUrl, response } = await followRedirects(jar, url, redirectUri);
  if (pageUrl.startsWith(redirectUri)) throw errorFromRedirect(pageUrl);
  const html = await response.text();
  const action = /<form[^>]*\saction="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  if (!action) throw new Error(`no login form at ${pageUrl} (status ${response.status})`);
  return { url: pageUrl, status: response.status, html, action: new URL(action, pageUrl).href };
}

/** GET the authorization endpoint and follow redirects to the login page. */
export async function startAuthorization(options: SignInOptions): Promise<StartedAuthorization> {
  const request = await authorizationRequest(options);
  const jar = new CookieJar();
  return { ...request, jar, loginPage: await openLoginPage(jar, request.url, request.redirectUri) };
}

export type LoginResult =
  | { ok: true; code: string; iss: string | null }
  | { ok: false; status: number; html: string; url: string };

/**
 * POST the login form; on success follow redirects back to the app (answering a consent page
 * as `options.consent` says) and return the code.
 */
export async function submitLogin(
  started: StartedAuthorization,
  username: string,
  password: string,
): Promise<LoginResult> {
  const { jar, loginPage, redirectUri, options } = started;
  const back = await postLogin(jar, loginPage.action, redirectUri, {
    username,
    password,
    consent: options.consent ?? 'allow',
  });
  if (!back.ok) return back;
  const { url } = back;

  const params = new URL(url).searchParams;
  if (params.get('error')) throw errorFromRedirect(url);
  if (params.get('state') !== started.state) throw new Error(`state mismatch in ${url}`);
  const code = params.get('code');
  if (!code) throw new Error(`no code in ${url}`);
  return { ok: true, code, iss: params.get('iss') };
}

/**
 * POSTs the login form, then answers a consent page if one comes; ends at the redirect back to
 * `redirectUri` (not fetched), or at the page where it stopped.
 */
async function postLogin(
  jar: CookieJar,
  action: string,
  redirectUri: string,
  { username, password, consent }: { username: string; password: string; consent: string },
): Promise<{ ok: true; url: string } | Extract<LoginResult, { ok: false }>> {
  let { url, response } = await followRedirects(jar, action, redirectUri, {
    method: 'POST',
    body: new URLSearchParams({ username, password }),
  });
  if (!url.startsWith(redirectUri)) {
    const html = await response.text();
    const form = /<form[^>]*\saction="([^"]+\/consent)"/.exec(html)?.[1];
    if (!form || consent === 'show') return { ok: false, status: response.status, html, url };
    ({ url, response } = await followRedirects(jar, new URL(form, url).href, redirectUri, {
      method: 'POST',
      body: new URLSearchParams({ decision: consent }),
    }));
    if (!url.startsWith(redirectUri))
      return { ok: false, status: response.status, html: await response.text(), url };
  }
  return { ok: true, url };
}

/**
 * Logs in as a demo account (default alice) at an authorization request URL someone else made,
 * allowing a consent page; returns the redirect back to its `redirect_uri` (not followed), which
 * carries the code or the error.
 */
export async function signInAt(
  authorizationUrl: string,
  { username = 'alice', consent = 'allow' }: { username?: string; consent?: 'allow' | 'deny' } = {},
): Promise<string> {
  const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error(`no redirect_uri in ${authorizationUrl}`);
  const jar = new CookieJar();
  const loginPage = await openLoginPage(jar, authorizationUrl, redirectUri);
  const password = DEMO_ACCOUNTS.find((account) => account.id === username)?.password ?? '';
  const back = await postLogin(jar, loginPage.action, redirectUri, { username, password, consent });
  if (!back.ok) throw new Error(`login as ${username} stopped at ${back.url} (${back.status})`);
  return back.url;
}

/** Steps 1 and 2 for a demo account; throws unless a code comes back. */
export async function authorize(
  options: SignInOptions,
): Promise<StartedAuthorization & { code: string }> {
  const started = await startAuthorization(options);
  const username = options.username ?? 'alice';
  const password = options.password ?? DEMO_ACCOUNTS.find((a) => a.id === username)?.password ?? '';
  const result = await submitLogin(started, username, password);
  if (!result.ok) throw new Error(`login as ${username} refused with status ${result.status}`);
  if (result.iss !== options.issuer)
    throw new Error(`iss ${result.iss} in the authorization response (RFC 9207)`);
  return { ...started, code: result.code };
}

async function tokenRequest(
  issuer: string,
  dpop: DpopClient,
  body: URLSearchParams,
): Promise<TokenResult> {
  const tokenEndpoint = (await discover(issuer)).token_endpoint;
  const { response, challenge } = await dpop.fetchWithDpop(tokenEndpoint, { method: 'POST', body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
    challenge,
  };
}

/** The form of the authorization code grant (RFC 6749 §4.1.3 + PKCE), for any way of sending it. */
export function codeExchangeForm(
  authorized: AuthorizationRequest & { code: string },
  extra: { resource?: string; codeVerifier?: string } = {},
): URLSearchParams {
  return formOf({
    grant_type: 'authorization_code',
    client_id: authorized.options.clientId ?? SPA_CLIENT_ID,
    code: authorized.code,
    redirect_uri: authorized.redirectUri,
    code_verifier: extra.codeVerifier ?? authorized.codeVerifier,
    resource: extra.resource,
  });
}

/** The authorization code grant with a DPoP proof, answered as it came. */
export function exchangeCode(
  authorized: AuthorizationRequest & { code: string },
  extra: { resource?: string; dpop?: DpopClient; codeVerifier?: string } = {},
): Promise<TokenResult> {
  const { issuer, dpop } = authorized.options;
  return tokenRequest(issuer, extra.dpop ?? dpop, codeExchangeForm(authorized, extra));
}

/** The refresh token grant (RFC 6749 §6), optionally for one resource (RFC 8707 §2.2). */
export function refreshTokens(options: {
  issuer: string;
  dpop: DpopClient;
  refreshToken: string;
  resource?: string;
  clientId?: string;
}): Promise<TokenResult> {
  return tokenRequest(
    options.issuer,
    options.dpop,
    formOf({
      grant_type: 'refresh_token',
      client_id: options.clientId ?? SPA_CLIENT_ID,
      refresh_token: options.refreshToken,
      resource: options.resource,
    }),
  );
}

function tokensOf(result: TokenResult, what: string): TokenResponse & { refresh_token: string } {
  if (result.status !== 200 || typeof result.body['refresh_token'] !== 'string') {
    throw new Error(`${what} failed: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body as unknown as TokenResponse & { refresh_token: string };
}

/** A signed-in user: the tokens of the code exchange and the client whose key they are bound to. */
export interface Session {
  dpop: DpopClient;
  /** The browser's cookies: its session at the authorization server. */
  jar: CookieJar;
  tokens: TokenResponse & { refresh_token: string };
  /** The newest refresh token: the code exchange's, then each one a refresh rotated in. */
  readonly refreshToken: string;
  /**
   * The refresh token grant with the newest refresh token, by default with its key; keeps the
   * token the answer rotates in, as a client must when the server rotates refresh tokens.
   */
  refresh(extra?: { resource?: string; dpop?: DpopClient }): Promise<TokenResult>;
}

/** Full sign-in: authorize, then exchange the code; throws unless tokens come back. */
export async function signIn(options: SignInOptions): Promise<Session> {
  const authorized = await authorize(options);
  const tokens = tokensOf(await exchangeCode(authorized), 'code exchange');
  const { issuer, dpop } = authorized.options;
  let refreshToken = tokens.refresh_token;
  return {
    dpop,
    jar: authorized.jar,
    tokens,
    get refreshToken() {
      return refreshToken;
    },
    async refresh(extra = {}) {
      const result = await refreshTokens({ issuer, dpop, refreshToken, ...extra });
      const rotated = result.body['refresh_token'];
      if (result.status === 200 && typeof rotated === 'string') refreshToken = rotated;
      return result;
    },
  };
}

/** Signs in and returns a DPoP-bound JWT access token for `resource`, bound to `dpop`'s key. */
export async function apiAccessToken(
  options: SignInOptions & { resource: string },
): Promise<string> {
  const session = await signIn(options);
  const result = await session.refresh({ resource: options.resource });
  return tokensOf(result, `refresh for ${options.resource}`).access_token;
}

/** URL-encoded form of the members that have a value. */
function formOf(params: Record<string, string | undefined>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) form.set(name, value);
  return form;
}

/** Follows redirects from `start` until a page, or until one leads to `stopAt` (not fetched). */
export async function followRedirects(
  jar: CookieJar,
  start: string,
  stopAt: string,
  init: RequestInit = {},
): Promise<{ url: string; response: Response }> {
  let url = start;
  let response = await jar.fetch(url, init);
  for (let hop = 0; hop < 10; hop++) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url, response };
    await response.body?.cancel();
    url = new URL(location, url).href;
    if (url.startsWith(stopAt)) return { url, response };
    response = await jar.fetch(url);
  }
  throw new Error(`more than 10 redirects from ${start}`);
}

function errorFromRedirect(url: string): AuthorizationError {
  const params = new URL(url).searchParams;
  return new AuthorizationError(params.get('error') ?? 'no_error', params.get('error_description'));
}
