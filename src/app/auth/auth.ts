import { computed, inject, Injectable, signal } from '@angular/core';
import { APP_CONFIG } from '../config/app-config';
import { DpopAllowList, DpopKeyStore } from '../dpop';
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

/** An access token is refreshed when it has less than this left (milliseconds). */
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
  private readonly allowList = inject(DpopAllowList);
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
  readonly displayName = computed(() => {
    const user = this.userState();
    return user ? (user.name ?? user.email ?? user.sub) : null;
  });

  /**
   * Restores the session after a reload (the app initializer calls it). A session whose DPoP
   * key is gone (storage cleared, another key generated) is useless: it is dropped quietly.
   */
  async restore(): Promise<void> {
    const session = this.sessions.load();
    if (!session) return;
    let jkt: string | null = null;
    try {
      jkt = await this.keyStore.thumbprint();
    } catch {
      // No usable key storage: the session cannot be used.
    }
    if (jkt !== session.jkt) {
      this.sessions.clear();
      return;
    }
    this.setSession(session);
    // Learn the userinfo endpoint in the background; the profile view awaits it if needed.
    this.userinfoEndpoint().catch(() => undefined);
  }

  /**
   * Starts sign-in: a fresh DPoP key, PKCE, `state` and `nonce`, then off to the authorization
   * server. Never rejects: a failure sets `status` to `'error'` with the reason.
   */
  async signIn(returnUrl = '/'): Promise<void> {
    this.statusState.set('signing-in');
    this.errorState.set(null);
    this.noticeState.set(null);
    try {
      const metadata = await this.discovery.metadata();
      // A new key for every sign-in: tokens of an earlier session stay bound to the old one.
      this.dropSession();
      this.statusState.set('signing-in');
      await this.keyStore.rotate();
      const jkt = await this.keyStore.thumbprint();
      const pkce = await createPkce();
      const state = randomToken();
      const nonce = randomToken();
      this.pendingSignIns.save({
        state,
        nonce,
        codeVerifier: pkce.verifier,
        returnUrl: safeReturnUrl(returnUrl),
        jkt,
      });
      this.redirect(
        buildAuthorizationUrl({
          authorizationEndpoint: metadata.authorization_endpoint,
          clientId: this.config.clientId,
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
      if ((await this.keyStore.thumbprint()) !== pending.jkt) {
        throw new AuthError(
          'key_lost',
          'The DPoP key this sign-in was started with is gone (was site data cleared?). Sign in again.',
        );
      }
      const response = await this.enqueue(() =>
        this.tokens.exchangeCode({
          tokenEndpoint: metadata.token_endpoint,
          clientId: this.config.clientId,
          code: params.code!,
          codeVerifier: pending.codeVerifier,
          redirectUri: this.config.redirectUri,
        }),
      );
      if (!response.id_token) {
        throw new AuthError(
          'invalid_token_response',
          'The token response has no ID token: is "openid" in the scopes?',
        );
      }
      const user = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId: this.config.clientId,
        jwksUri: metadata.jwks_uri,
        nonce: pending.nonce,
      });
      this.setSession({
        jkt: pending.jkt,
        refreshToken: response.refresh_token,
        idToken: response.id_token,
        user: pickUser(user),
        tokens: { [DEFAULT_RESOURCE]: storedToken(response) },
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
   * refreshed when it is missing or has less than 30 s left. `null` when signed out.
   */
  async accessToken(resource?: string): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    const token = session.tokens[resource ?? DEFAULT_RESOURCE];
    if (token && token.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
      return token.accessToken;
    }
    return this.tokenForResource(resource);
  }

  /**
   * Gets a new access token for one resource with the refresh-token grant (with a DPoP proof
   * and `resource`, RFC 8707 §2.2) and stores it with the newest refresh token. The embedded
   * server's userinfo refuses a token whose audience is the API, so each resource has its own.
   * Concurrent calls for the same resource share one request.
   */
  tokenForResource(resource?: string): Promise<string> {
    const key = resource ?? DEFAULT_RESOURCE;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.enqueue(() => this.refresh(resource)).finally(() => this.inFlight.delete(key));
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
    this.dropSession();
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
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri);
    this.redirect(url.href);
  }

  /** Hides the current error or notice. */
  dismiss(): void {
    this.noticeState.set(null);
    if (this.statusState() === 'error') {
      this.errorState.set(null);
      this.statusState.set(this.session ? 'signed-in' : 'signed-out');
    }
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
        clientId: this.config.clientId,
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
    let { idToken, user } = session;
    if (response.id_token) {
      const claims = await this.idTokens.validate(response.id_token, {
        issuer: metadata.issuer,
        clientId: this.config.clientId,
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

  private setSession(session: Session): void {
    this.session = session;
    this.sessions.save(session);
    this.userState.set(session.user);
    this.statusState.set('signed-in');
  }

  private dropSession(): void {
    this.session = null;
    this.sessions.clear();
    this.inFlight.clear();
    this.userState.set(null);
    this.statusState.set('signed-out');
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
  return {
    accessToken: response.access_token,
    expiresAt: Date.now() + expiresIn * 1000,
    ...(response.scope ? { scope: response.scope } : {}),
  };
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
