import { HttpClient, HttpContext, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { readDpopAnswer } from '@dpop-lab/protocol';
import { firstValueFrom } from 'rxjs';

import { APP_CONFIG } from '../config/app-config';
import { REQUEST_PURPOSE, RequestPurpose } from '../shared/request-purpose';
import { AuthError } from './auth-error';

/** A successful token response (RFC 6749 §5.1), with the access token checked to be there. */
export interface TokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

/** How long sign-out waits for the revocation endpoint before it goes on without it. */
const REVOCATION_TIMEOUT_MS = 5000;

/**
 * Talks to the token endpoint: the code exchange and the refresh-token grant, form-encoded, as
 * the public client of config.json. And to the revocation endpoint. Both are registered with the
 * DPoP core (`OidcDiscovery`), so the interceptor adds the proof, answers the server's
 * `use_dpop_nonce` challenge (RFC 9449 §8) and refuses tokens not bound to the key.
 */
@Injectable({ providedIn: 'root' })
export class TokenClient {
  private readonly http = inject(HttpClient);
  private readonly clientId = inject(APP_CONFIG).clientId;

  exchangeCode(
    tokenEndpoint: string,
    grant: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<TokenResponse> {
    return this.post(
      tokenEndpoint,
      {
        grant_type: 'authorization_code',
        code: grant.code,
        redirect_uri: grant.redirectUri,
        code_verifier: grant.codeVerifier,
      },
      { kind: 'code-exchange' },
    );
  }

  /** `resource`: the RFC 8707 indicator the new access token is for; none for the sign-in token. */
  refresh(
    tokenEndpoint: string,
    grant: { refreshToken: string; resource?: string },
  ): Promise<TokenResponse> {
    const form: Record<string, string> = {
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
    };
    const why: RequestPurpose = { kind: 'refresh' };
    if (grant.resource !== undefined) form['resource'] = why.resource = grant.resource;
    return this.post(tokenEndpoint, form, why);
  }

  /**
   * Revokes a refresh token (RFC 7009 §2.1): `token`, `token_type_hint`, and the public client's
   * `client_id` (RFC 6749 §2.3, §3.2.1). A 200 with any body means revoked, or already unknown
   * (§2.2). The interceptor adds a DPoP proof of the key the token is bound to, as at the token
   * endpoint (RFC 9449 §5): without it the embedded server revokes nothing, so a thief who copied
   * the token cannot sign the user out. So revoke before the key is deleted.
   */
  async revoke(endpoint: string, refreshToken: string): Promise<void> {
    const form = { token: refreshToken, token_type_hint: 'refresh_token' };
    try {
      await firstValueFrom(
        this.http.post(
          endpoint,
          new HttpParams({ fromObject: { ...form, client_id: this.clientId } }),
          {
            responseType: 'text',
            timeout: REVOCATION_TIMEOUT_MS,
            context: purpose({ kind: 'revocation' }),
          },
        ),
      );
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.error?.name === 'TimeoutError') {
        throw new AuthError(
          'token_request_failed',
          `${endpoint} did not answer within ${REVOCATION_TIMEOUT_MS / 1000} s`,
        );
      }
      throw tokenError(error, endpoint, 'revocation');
    }
  }

  private async post(
    tokenEndpoint: string,
    form: Record<string, string>,
    why: RequestPurpose,
  ): Promise<TokenResponse> {
    let body: unknown;
    try {
      body = await firstValueFrom(
        this.http.post<unknown>(
          tokenEndpoint,
          new HttpParams({ fromObject: { ...form, client_id: this.clientId } }),
          { headers: { Accept: 'application/json' }, context: purpose(why) },
        ),
      );
    } catch (error) {
      throw tokenError(error, tokenEndpoint);
    }
    const response = (body ?? {}) as Partial<TokenResponse>;
    if (typeof response.access_token !== 'string' || response.access_token === '') {
      throw new AuthError(
        'invalid_token_response',
        'The token endpoint answered without an access token.',
      );
    }
    return response as TokenResponse;
  }
}

/** The request's purpose, for the inspector (a refresh and a code exchange look alike). */
function purpose(why: RequestPurpose): HttpContext {
  return new HttpContext().set(REQUEST_PURPOSE, why);
}

function tokenError(error: unknown, endpoint: string, kind = 'token'): AuthError {
  if (!(error instanceof HttpErrorResponse)) return AuthError.from(error);
  if (error.status === 0) {
    return new AuthError(
      'token_request_failed',
      `The ${kind} endpoint ${endpoint} did not answer: is the authorization server running? (npm start)`,
      { cause: error },
    );
  }
  const { error: code, description } = readDpopAnswer(error);
  if (code) {
    return new AuthError(
      'token_request_refused',
      `The ${kind} endpoint refused the request: ${code}.`,
      {
        server: { error: code, ...(description ? { description } : {}) },
        cause: error,
      },
    );
  }
  return new AuthError(
    'token_request_failed',
    `The ${kind} endpoint answered ${error.status} ${error.statusText}.`.trim(),
    { cause: error },
  );
}
