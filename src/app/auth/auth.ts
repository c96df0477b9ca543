import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { APP_CONFIG } from '../config/app-config';
import { checkTokenBinding, DpopAlgorithms, DpopAllowList, DpopError, DpopKeyStore } from '../dpop';
import { AuthError } from './auth-error';
import { buildAuthorizationUrl } from './authorization-request';
import { BROWSER_REDIRECT } from './browser-redirect';
import { IdTokenValidator } from './id-token';
import { OidcDiscovery } from './oidc-discovery';
import { PendingSignInStore } from './pending-sign-in';
import { createPkce, randomToken } from './pkce';
import {
  DEFAULT_RESOURCE,
  Session,
  SessionStore,
  StoredAccessToken,
  UserClaims,
} from './session-store';
import { SessionMessage, SessionSync } from './session-sync';
import { TokenClient, TokenResponse } from './token-client';

export type AuthStatus = 'signed-out' | 'signing-in' | 'signed-in' | 'error';

/** The query parameters of the authorization response (RFC 6749 §4.1.2, RFC 9207). */
export interface CallbackParams {
  code?: string | null;
  state?: string | null;
  iss?: string | null;
  error?: string | null;
  error_description?: string | null;
}

/**
 * An access token is refreshed when it has less than this left (milliseconds), or less than a
 * quarter of its lifetime for short-lived tokens (ACCESS_TOKEN_TTL=5 in tests).
 */
export const REFRESH_MARGIN_MS = 30_000;
/** Lifetime assumed when the token response has no `expires_in` (seconds). */
const DEFAULT_EXPIRES_IN = 300;

/**
 * Sign-in, tokens and sign-out for the SPA: the authorization-code flow with PKCE, a DPoP key
 * per sign-in, one access token per resource (RFC 8707), refresh, and the session state as
 * signals for the views.
 */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly config = inject(APP_CONFIG);
  private readonly discovery = inject(OidcDiscovery);
  private readonly keyStore = inject(DpopKeyStore);
  private readonly algorithms = inject(DpopAlgorithms);
  private readonly allowList = inject(DpopAllowList);
  private readonly sync = inject(SessionSync);
  private readonly pendingSignIns = inject(PendingSignInStore);
  private readonly sessions = inject(SessionStore);
  private readonly tokens = inject(TokenClient);
  private readonly idTokens = inject(IdTokenValidator);
  private readonly redirect = inject(BROWSER_REDIRECT);

  private session: Session | null = null;
  /** Token-endpoint calls run one at a time: a rotated refresh token must not be used twice. */
  private tokenQueue: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Map<string, Promise<string>>();

  private readonly statusState = signal<AuthStatus>('signed-out');
  private readonly userState = signal<UserClaims | null>(null);
  private readonly errorState = signal<AuthError | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly status = this.statusState.asReadonly();
  /** The signed-in user's ID-token claims (sub, name, email…). */
  readonly user = this.userState.asReadonly();
  /** Why the last sign-in failed, while `status` is `'error'`. */
  readonly error = this.errorState.asReadonly();
  /** Something the user should know that is not a failure, e.g. "your session has ended". */
  readonly notice = this.noticeState.asReadonly();
  readonly isSignedIn = computed(() => this.statusState() === 'signed-in');
  private readonly tokenTypeState = signal<'DPoP' | 'Bearer'>('DPoP');
  /**
   * How this session's access tokens go out: `DPoP` (bound to the key, with proofs) or `Bearer`
   * (the walkthrough's bearer client, unbound). The token source passes it to the interceptor.
   */
  readonly tokenType = this.tokenTypeState.asReadonly();
  /** Whether config.json names a bearer client, so "Use plain bearer tokens" can be offered. */
  readonly bearerAvailable = !!this.config.bearerClientId;
  readonly displayName = computed(() => {
    const user = this.userState();
    return user ? (user.name ?? user.email ?? user.sub) : null;
  });

  constructor() {
    const subscription = this.sync.messages.subscribe((message) => void this.fromOtherTab(message));
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  /**
   * Probes the DPoP key storage and restores the session after a reload (the app initializer
   * calls it). A session whose DPoP key is gone (storage cleared, another key generated) is
   * useless: it is dropped quietly, and the next protected page starts a new sign-in. With a
   * memory-only key (storage refused) there is nothing to restore: that session stays in its tab.
   */
  async restore(): Promise<void> {
    try {
      // generate → store → read back → sign once, or fall back to a memory-only key.
      if ((await this.keyStore.probe()) === 'memory') return;
    } catch {
      // No usable key storage: a stored session cannot be used.
    }
    const session = this.sessions.load();
    if (!session) return;
    // Only now: with no session, a signed-out visitor keeps no key.
    const jkt = await this.keyStore.thumbprint().catch(() => null);
    if (jkt !== session.jkt) {
      this.sessions.clear();
      return;
    }
    this.setSession(session, { save: false });
    // Learn the userinfo endpoint in the background; the profile view awaits it if needed.
    this.userinfoEndpoint().catch(() => undefined);
  }

  /**
   * Whether this tab's key lives in memory only (the browser refused to store it): then the
   * session is not saved either — it could not outlive the key — and is not shared with other tabs.
   */
  private get memoryOnly(): boolean {
    return this.keyStore.storage() === 'memory';
  }

  /**
   * Starts sign-in: a fresh DPoP key, PKCE, `state` and `nonce`, then off to the authorization
   * server. Never rejects: a failure sets `status` to `'error'` with the reason.
   */
  async signIn(returnUrl = '/', options: { tokenType?: 'DPoP' | 'Bearer' } = {}): Promise<void> {
    this.statusState.set('signing-in');
    this.errorState.set(null);
    this.noticeState.set(null);
    try {
      const metadata = await this.discovery.metadata();
      // RFC 9449 §5.1: the key must use an algorithm the token endpoint accepts.
      this.algorithms.accept(
        metadata.token_endpoint,
        metadata.dpop_signing_alg_values_supported ?? [],
        'the authorization server (dpop_signing_alg_values_supported)',
      );
      // A new key for every sign-in: tokens of an earlier session stay bound to the old one.
      this.dropSession();
      this.statusState.set('signing-in');
      await this.keyStore.rotate().catch((error: unknown) => {
        throw error instanceof DpopError && error.code === 'no_common_algorithm'
          ? new AuthError('dpop_not_supported', error.message, undefined, { cause: error })
          : error;
      });
      // A memory-only key dies with this page when the browser goes to the authorization
      // server; the callback page makes its own. So the code cannot be bound to it (dpop_jkt,
      // RFC 9449 §10): PKCE still binds it to this browser, and the tokens to the callback's key.
      // The bearer client gets no dpop_jkt and no proofs: its tokens are plain Bearer tokens.
      const bearer = options.tokenType === 'Bearer';
      const clientId = bearer ? this.bearerClientId() : this.config.clientId;
      const jkt = this.memoryOnly || bearer ? undefined : await this.keyStore.thumbprint();
      const pkce = await createPkce();
      const state = randomToken();
      const nonce = randomToken();
      this.pendingSignIns.save({
        state,
        nonce,
        codeVerifier: pkce.verifier,
        returnUrl: safeReturnUrl(returnUrl),
        ...(jkt ? { jkt } : {}),
        ...(bearer ? { tokenType: 'Bearer' as const, clientId } : {}),
      });
      this.redirect(
        buildAuthorizationUrl({
          authorizationEndpoint: metadata.authorization_endpoint,
          clientId,
          redirectUri: this.config.redirectUri,
          scopes: this.config.scopes,
          state,
          nonce,
          codeChallenge: pkce.challenge,
          dpopJkt: jkt,
          resources: this.config.api.resource ? [this.config.api.resource] : [],
        }),
      );
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Finishes sign-in on the callback route: checks `state` (and `iss`), exchanges the code
   * with a DPoP proof, refuses Bearer tokens, validates the ID token. Resolves to the app URL
   * to go to, or `null` on failure (then `status` is `'error'` and `error` says why).
   */
  async completeSignIn(params: CallbackParams): Promise<string | null> {
    this.statusState.set('signing-in');
    this.errorState.set(null);
    const pending = this.pendingSignIns.take();
    try {
      if (!pending || !params.state || params.state !== pending.state) {
        throw new AuthError(
          'state_mismatch',
          'This sign-in response does not match a sign-in started here (missing or wrong "state"). ' +
            'It may be old, used already, or from another tab. Sign in again.',
        );
      }
      if (params.error) {
        throw new AuthError(
          params.error,
          params.error === 'access_denied'
            ? 'The sign-in was cancelled or refused (access_denied).'
            : `The authorization server refused the sign-in: ${params.error}.`,
          params.error_description ?? undefined,
          { fromServer: true },
        );
      }
      const metadata = await this.discovery.metadata();
      // RFC 9207: the response names its issuer; a different one means a mix-up attack.
      if (
        (params.iss && params.iss !== metadata.issuer) ||
        (!params.iss && metadata.authorization_response_iss_parameter_supported)
      ) {
        throw new AuthError(
          'issuer_mismatch',
          `This sign-in response comes from "${params.iss ?? 'an unnamed issuer'}", not from ${metadata.issuer}. Sign in again.`,
        );
      }
      if (!params.code) {
        throw new AuthError('missing_code', 'The sign-in response has no authorization code.');
      }
      const jkt = await this.keyStore.thumbprint();
      if (pending.jkt !== undefined && jkt !== pending.jkt) {
        throw new AuthError(
          'key_lost',
          'The DPoP key this sign-in was started with is gone (was site data cleared?). Sign in again.',
        );
      }
      const bearer = pending.tokenType === 'Bearer';
      const clientId = pending.clientId ?? this.config.clientId;
      const response = await this.enqueue(() =>
        this.tokens.exchangeCode({
          tokenEndpoint: metadata.token_endpoint,
          clientId,
          tokenType: bearer ? 'Bearer' : 'DPoP',
          code: params.code!,
          codeVerifier: pending.codeVerifier,
          redirectUri: this.config.redirectUri,
        }),
      );
      if (!bearer) this.checkBinding(response, jkt);
      if (!response.id_token) {
        throw new AuthError(
          'invalid_token_response',
          'The token response has no ID token: is "openid" in the scopes?',
        );
      }
      const user = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId,
        jwksUri: metadata.jwks_uri,
        nonce: pending.nonce,
      });
      this.setSession({
        jkt,
        refreshToken: response.refresh_token,
        idToken: response.id_token,
        user: pickUser(user),
        tokens: { [DEFAULT_RESOURCE]: storedToken(response) },
        ...(bearer ? { tokenType: 'Bearer' as const, clientId } : {}),
      });
      this.userinfoEndpoint().catch(() => undefined);
      return pending.returnUrl;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  /**
   * A valid access token for `resource` (an RFC 8707 indicator; none for the sign-in token),
   * refreshed when it is missing or about to expire. `null` when signed out.
   */
  async accessToken(resource?: string): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    const token = freshToken(session, resource);
    return token ? token.accessToken : this.tokenForResource(resource);
  }

  /**
   * Gets a new access token for one resource with the refresh-token grant (with a DPoP proof
   * and `resource`, RFC 8707 §2.2) and stores it with the newest refresh token. The embedded
   * server's userinfo refuses a token whose audience is the API, so each resource has its own.
   *
   * One refresh at a time: concurrent calls for the same resource in this tab share one request,
   * and across tabs the refresh runs under a Web Lock; the tab next in line re-reads the stored
   * session and takes the token another tab just got instead of spending the refresh token again.
   */
  tokenForResource(resource?: string): Promise<string> {
    const key = resource ?? DEFAULT_RESOURCE;
    let pending = this.inFlight.get(key);
    if (!pending) {
      const stale = this.session?.tokens[key]?.accessToken;
      pending = this.enqueue(() => this.refreshOnce(resource, stale)).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /**
   * The userinfo endpoint from discovery, registered in the DPoP allow-list (with the sign-in
   * token) so `HttpClient` calls to it carry `Authorization: DPoP` and a proof.
   */
  async userinfoEndpoint(): Promise<string> {
    const metadata = await this.discovery.metadata();
    if (!metadata.userinfo_endpoint) {
      throw new AuthError(
        'discovery_invalid',
        `The authorization server at ${metadata.issuer} has no userinfo endpoint.`,
      );
    }
    this.allowList.add({ url: metadata.userinfo_endpoint });
    return metadata.userinfo_endpoint;
  }

  /**
   * Signs out: forgets the tokens and deletes the DPoP key here, then lets the authorization
   * server end its session (RP-initiated logout) and send the browser back.
   */
  async signOut(): Promise<void> {
    const idToken = this.session?.idToken;
    const clientId = this.session?.clientId ?? this.config.clientId;
    this.dropSession({ broadcast: true });
    this.pendingSignIns.clear();
    this.statusState.set('signed-out');
    this.errorState.set(null);
    this.noticeState.set(null);
    await this.keyStore.clear().catch(() => undefined);
    let endSession: string | undefined;
    try {
      endSession = (await this.discovery.metadata()).end_session_endpoint;
    } catch {
      // The server is unreachable: the local sign-out is done, go home.
    }
    if (!endSession || !idToken) {
      this.redirect(this.config.postLogoutRedirectUri);
      return;
    }
    const url = new URL(endSession);
    url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri);
    this.redirect(url.href);
  }

  /**
   * The access token this session holds for `resource`, as it is — no refresh, no network — or
   * null. For display (the inspector) and the attack lab, which must not change the session.
   */
  peekAccessToken(resource?: string): string | null {
    return this.session?.tokens[resource ?? DEFAULT_RESOURCE]?.accessToken ?? null;
  }

  /** The walkthrough's bearer client from config.json; an error that says so when it is missing. */
  private bearerClientId(): string {
    if (!this.config.bearerClientId) {
      throw new AuthError(
        'bearer_client_missing',
        'config.json names no "bearerClientId", so the app cannot sign in with plain bearer tokens.',
      );
    }
    return this.config.bearerClientId;
  }

  /** Hides the current error or notice. */
  dismiss(): void {
    this.noticeState.set(null);
    if (this.statusState() === 'error') {
      this.errorState.set(null);
      this.statusState.set(this.session ? 'signed-in' : 'signed-out');
    }
  }

  /**
   * The refresh, under the cross-tab lock unless this tab's session is its own (memory key).
   * `stale` is the token this tab had when it decided to refresh: if another tab stored a fresh
   * one meanwhile, that one is taken and no request is sent.
   */
  private refreshOnce(resource: string | undefined, stale: string | undefined): Promise<string> {
    if (this.memoryOnly || !this.session) return this.refresh(resource);
    return this.sync.withLock(async () => {
      try {
        await this.adoptSharedSession();
        const token = this.session ? freshToken(this.session, resource) : null;
        return token && token.accessToken !== stale
          ? token.accessToken
          : await this.refresh(resource);
      } finally {
        // What the next tab in line starts from: the new session, or null if it ended here.
        await this.sync.handOver(this.session);
      }
    });
  }

  /**
   * Takes the session the previous lock holder handed over (newer tokens, a rotated refresh
   * token). When it is gone or bound to another key, the user signed out or in again elsewhere:
   * this session ends.
   */
  private async adoptSharedSession(): Promise<void> {
    const current = this.session;
    if (!current) return;
    const handedOver = await this.sync.takeOver();
    const stored = handedOver === undefined ? this.sessions.load() : handedOver;
    if (stored && stored.jkt === current.jkt) {
      this.setSession(stored, { save: false, broadcast: false });
      return;
    }
    this.dropSession({ save: false });
    this.keyStore.invalidate();
    this.noticeState.set('You signed out (or in again) in another tab. Sign in to continue here.');
    throw new AuthError('session_expired', 'You signed out in another tab. Sign in to continue.');
  }

  /** What another tab said: adopt its new session (after its key, if that changed), or sign out. */
  private async fromOtherTab(message: SessionMessage): Promise<void> {
    if (this.memoryOnly) return; // this tab's session and key are its own
    if (message.type === 'signed-out') {
      if (this.session) {
        this.dropSession({ save: false });
        this.keyStore.invalidate();
      }
      return;
    }
    // Not localStorage: its copy in this tab's process may not have this write yet.
    const session = message.session;
    if (this.session?.jkt !== session.jkt) {
      // Signed in elsewhere: with the key that tab stored, not the one this tab holds.
      this.keyStore.invalidate();
      const jkt = await this.keyStore.thumbprint().catch(() => null);
      if (jkt !== session.jkt) return;
    }
    this.setSession(session, { save: false, broadcast: false });
  }

  private async refresh(resource: string | undefined): Promise<string> {
    const session = this.session;
    if (!session) {
      throw new AuthError('session_expired', 'You are signed out. Sign in to continue.');
    }
    if (!session.refreshToken) {
      throw new AuthError(
        'no_refresh_token',
        resource === undefined
          ? 'The access token has expired and the server issued no refresh token. Sign in again.'
          : `The server issued no refresh token, so the app cannot get a token for ${resource}: ` +
              'add "offline_access" to the scopes and allow the refresh-token grant for the client.',
      );
    }
    const metadata = await this.discovery.metadata();
    let response: TokenResponse;
    try {
      response = await this.tokens.refresh({
        tokenEndpoint: metadata.token_endpoint,
        clientId: session.clientId ?? this.config.clientId,
        tokenType: session.tokenType ?? 'DPoP',
        refreshToken: session.refreshToken,
        resource,
      });
    } catch (error) {
      if (
        error instanceof AuthError &&
        error.code === 'invalid_grant' &&
        this.session === session
      ) {
        // The refresh token is expired or revoked: the session is over. Say so once; no retry loop.
        const ended = new AuthError(
          'session_expired',
          'Your session has ended (the server no longer accepts its refresh token). Sign in again.',
          error.description,
          { cause: error },
        );
        this.dropSession();
        this.noticeState.set(ended.message);
        await this.keyStore.clear().catch(() => undefined);
        throw ended;
      }
      throw error;
    }
    if (this.session !== session) {
      throw new AuthError('session_expired', 'You signed out while a token was being fetched.');
    }
    if (session.tokenType !== 'Bearer') this.checkBinding(response, session.jkt);
    let { idToken, user } = session;
    if (response.id_token) {
      const claims = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId: session.clientId ?? this.config.clientId,
        jwksUri: metadata.jwks_uri,
        nonce: undefined,
      });
      if (claims.sub === session.user.sub) {
        idToken = response.id_token;
        user = pickUser(claims);
      }
    }
    this.setSession({
      ...session,
      idToken,
      user,
      // Refresh tokens may rotate: always keep the newest.
      refreshToken: response.refresh_token ?? session.refreshToken,
      tokens: { ...session.tokens, [resource ?? DEFAULT_RESOURCE]: storedToken(response) },
    });
    return response.access_token;
  }

  /**
   * Makes `session` current; saves it (`save`, default true) and tells the other tabs
   * (`broadcast`, default as `save`) — unless the key is memory-only, which keeps both to this tab.
   */
  private setSession(
    session: Session,
    options: { save?: boolean; broadcast?: boolean } = {},
  ): void {
    const save = (options.save ?? true) && !this.memoryOnly;
    const broadcast = (options.broadcast ?? save) && !this.memoryOnly;
    this.session = session;
    this.tokenTypeState.set(session.tokenType ?? 'DPoP');
    if (save) {
      this.sessions.save(session);
      void this.sync.handOver(session);
    }
    if (broadcast) this.sync.publish({ type: 'session', session });
    this.userState.set(session.user);
    this.statusState.set('signed-in');
  }

  /** Forgets the session; clears the stored one (`save`) and tells the other tabs (`broadcast`). */
  private dropSession(options: { save?: boolean; broadcast?: boolean } = {}): void {
    const hadSession = this.session !== null;
    this.session = null;
    this.tokenTypeState.set('DPoP');
    if ((options.save ?? true) && !this.memoryOnly) {
      this.sessions.clear();
      void this.sync.handOver(null);
    }
    if ((options.broadcast ?? hadSession) && !this.memoryOnly) {
      this.sync.publish({ type: 'signed-out' });
    }
    this.inFlight.clear();
    this.userState.set(null);
    this.statusState.set('signed-out');
  }

  /**
   * RFC 9449 §6.1: a JWT access token must be bound (`cnf.jkt`) to the key that asked for it.
   * `token_type` is checked in `checkTokenResponse`; opaque tokens only their server can check.
   */
  private checkBinding(response: TokenResponse, jkt: string): void {
    try {
      checkTokenBinding(response.access_token, jkt);
    } catch (error) {
      if (!(error instanceof DpopError)) throw error;
      throw new AuthError(error.code, error.message, undefined, { cause: error });
    }
  }

  private fail(error: unknown): void {
    const authError =
      error instanceof AuthError
        ? error
        : new AuthError(
            'sign_in_failed',
            `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`,
            undefined,
            { cause: error },
          );
    this.statusState.set('error');
    this.errorState.set(authError);
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tokenQueue.then(operation);
    this.tokenQueue = result.catch(() => undefined);
    return result;
  }
}

function storedToken(response: TokenResponse): StoredAccessToken {
  const expiresIn =
    typeof response.expires_in === 'number' && response.expires_in > 0
      ? response.expires_in
      : DEFAULT_EXPIRES_IN;
  const now = Date.now();
  return {
    accessToken: response.access_token,
    issuedAt: now,
    expiresAt: now + expiresIn * 1000,
    ...(response.scope ? { scope: response.scope } : {}),
  };
}

/**
 * The session's token for `resource` if it is not about to expire: more than 30 s left, or for a
 * short-lived token more than a quarter of its lifetime, so a 5 s token is used for about 4 s.
 */
function freshToken(session: Session, resource: string | undefined): StoredAccessToken | null {
  const token = session.tokens[resource ?? DEFAULT_RESOURCE];
  if (!token) return null;
  const lifetime = token.issuedAt === undefined ? Infinity : token.expiresAt - token.issuedAt;
  const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 4);
  return token.expiresAt - Date.now() > margin ? token : null;
}

/** The claims worth keeping: who the user is, not the token's plumbing. */
function pickUser(claims: UserClaims): UserClaims {
  const user: UserClaims = { sub: claims.sub };
  for (const claim of ['name', 'preferred_username', 'email', 'email_verified']) {
    if (claims[claim] !== undefined) user[claim] = claims[claim];
  }
  return user;
}

/** Only paths inside this app: never an open redirect to another site. */
export function safeReturnUrl(url: string): string {
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : '/';
}
