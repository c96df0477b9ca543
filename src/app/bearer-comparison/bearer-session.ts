import { HttpBackend, HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { AuthError } from '../auth/auth-error';
import { newAuthorization } from '../auth/authorization-request';
import {
  CallbackParams,
  checkAuthorizationResponse,
  checkIssuer,
} from '../auth/authorization-response';
import { BROWSER_REDIRECT } from '../auth/browser-redirect';
import { OidcDiscovery } from '../auth/oidc-discovery';
import { PendingSignInStore } from '../auth/pending-sign-in';
import { APP_CONFIG } from '../config/app-config';
import { BEARER_CALLBACK_PATH } from './bearer-callback-path';

const TOKEN_KEY = 'dpop-lab.bearer-token';

/** The comparison's one token: for the API, bound to nothing. */
export interface BearerToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * The walkthrough's comparison with plain bearer tokens, held beside the DPoP session and never
 * mixed with it: a second public client registered without DPoP (config.json's
 * `bearerClientId`) gets an ordinary Bearer access token for the API (RFC 6750) — no key, no
 * proof, usable by whoever holds it. The attack lab sends it from a client of its own to show
 * what DPoP prevents.
 *
 * Its sign-in is the authorization-code flow with PKCE, through its own callback route, with
 * requests that no interceptor sees (`HttpBackend`): the DPoP core never touches it, and the app's
 * own sign-in knows nothing of it. The token lives in this tab only (sessionStorage), and the
 * comparison asks for no refresh token, so nothing long-lived can leak.
 */
@Injectable({ providedIn: 'root' })
export class BearerSession {
  private readonly config = inject(APP_CONFIG);
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly discovery = inject(OidcDiscovery);
  private readonly redirect = inject(BROWSER_REDIRECT);
  private readonly pending = PendingSignInStore.under('dpop-lab.bearer-sign-in');
  private readonly stored = signal<BearerToken | null>(readToken());

  /** Whether config.json names a bearer client, so the comparison can be offered. */
  readonly available = this.config.bearerClientId !== undefined;
  /** The token held, if any (`accessToken()` checks its expiry). */
  readonly token = this.stored.asReadonly();

  /** Leaves for the authorization server with the bearer client; comes back to `returnUrl`. */
  async signIn(returnUrl: string): Promise<void> {
    const clientId = this.clientId();
    const metadata = await this.discovery.metadata();
    const { pending, url } = await newAuthorization(
      {
        authorizationEndpoint: metadata.authorization_endpoint,
        clientId,
        redirectUri: this.redirectUri(),
        // No offline_access: the comparison keeps no refresh token.
        scopes: this.config.scopes.filter((scope) => scope !== 'offline_access'),
        resources: this.config.api.resource ? [this.config.api.resource] : [],
      },
      returnUrl,
    );
    this.pending.save(pending);
    this.redirect(url);
  }

  /** The callback: checks `state` and `iss`, redeems the code for a Bearer token; the URL to go to. */
  async complete(params: CallbackParams): Promise<string> {
    const { pending, code } = checkAuthorizationResponse(params, this.pending.take());
    const metadata = await this.discovery.metadata();
    checkIssuer(params.iss, metadata);
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri(),
      code_verifier: pending.codeVerifier,
      client_id: this.clientId(),
      ...(this.config.api.resource ? { resource: this.config.api.resource } : {}),
    };
    let response: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
    try {
      response = await firstValueFrom(
        this.http.post<typeof response>(
          metadata.token_endpoint,
          new HttpParams({ fromObject: form }),
        ),
      );
    } catch (error) {
      throw new AuthError(
        'token_request_refused',
        `The token endpoint refused the bearer client's code (${describe(error)}).`,
        { cause: error },
      );
    }
    // No proof was sent, so a conforming server answers `token_type: Bearer` (RFC 6750).
    if (
      typeof response.access_token !== 'string' ||
      String(response.token_type).toLowerCase() !== 'bearer'
    ) {
      throw new AuthError(
        'invalid_token_response',
        `The bearer client was issued ${String(response.token_type ?? 'untyped')} tokens instead of ` +
          'plain Bearer ones: register it without DPoP (no dpop_bound_access_tokens).',
      );
    }
    const expiresIn = typeof response.expires_in === 'number' ? response.expires_in : 300;
    this.keep({ accessToken: response.access_token, expiresAt: Date.now() + expiresIn * 1000 });
    return pending.returnUrl;
  }

  /** The token if it has not expired; otherwise null (and it is forgotten). */
  accessToken(): string | null {
    const token = this.stored();
    if (token && token.expiresAt > Date.now()) return token.accessToken;
    if (token) this.end();
    return null;
  }

  /** Forgets the token (it expires by itself at the server: nothing else holds it). */
  end(): void {
    this.keep(null);
  }

  private keep(token: BearerToken | null): void {
    if (token) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(token));
    else sessionStorage.removeItem(TOKEN_KEY);
    this.stored.set(token);
  }

  private clientId(): string {
    const clientId = this.config.bearerClientId;
    if (!clientId) {
      throw new AuthError(
        'sign_in_failed',
        'config.json names no "bearerClientId", so the comparison with plain bearer tokens is off.',
      );
    }
    return clientId;
  }

  private redirectUri(): string {
    return new URL(`/${BEARER_CALLBACK_PATH}`, this.config.redirectUri).href;
  }
}

function readToken(): BearerToken | null {
  try {
    const token = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null') as BearerToken | null;
    return typeof token?.accessToken === 'string' && typeof token.expiresAt === 'number'
      ? token
      : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) return String(error);
  const code = (error.error as { error?: unknown } | null)?.error;
  return error.status === 0
    ? 'no answer'
    : `${error.status}${typeof code === 'string' ? ` ${code}` : ''}`;
}
