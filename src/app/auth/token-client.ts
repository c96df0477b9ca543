import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { readDpopError, withDpopProof } from '../dpop';
import { AuthError } from './auth-error';

/** A successful token response (RFC 6749 §5.1), with what this app relies on checked. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

/**
 * The token type a request asks for: `DPoP` (the default) sends a DPoP proof and accepts only
 * `token_type: DPoP`; `Bearer` (the walkthrough's bearer client) sends no proof and accepts only
 * `token_type: Bearer`.
 */
export type RequestedTokenType = 'DPoP' | 'Bearer';

export interface CodeExchange {
  tokenEndpoint: string;
  clientId: string;
  tokenType?: RequestedTokenType;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface RefreshGrant {
  tokenEndpoint: string;
  clientId: string;
  tokenType?: RequestedTokenType;
  refreshToken: string;
  /** RFC 8707: the resource the new access token is for; none for the sign-in token. */
  resource?: string;
}

/**
 * Talks to the token endpoint: the code exchange and the refresh-token grant, form-encoded,
 * each with a DPoP proof (the interceptor adds it, and answers the server's
 * `use_dpop_nonce` challenge, because the request carries `withDpopProof()`).
 */
@Injectable({ providedIn: 'root' })
export class TokenClient {
  private readonly http = inject(HttpClient);

  exchangeCode(request: CodeExchange): Promise<TokenResponse> {
    return this.post(
      request.tokenEndpoint,
      {
        grant_type: 'authorization_code',
        code: request.code,
        redirect_uri: request.redirectUri,
        code_verifier: request.codeVerifier,
        client_id: request.clientId,
      },
      request.tokenType,
    );
  }

  refresh(request: RefreshGrant): Promise<TokenResponse> {
    const form: Record<string, string> = {
      grant_type: 'refresh_token',
      refresh_token: request.refreshToken,
      client_id: request.clientId,
    };
    if (request.resource !== undefined) form['resource'] = request.resource;
    return this.post(request.tokenEndpoint, form, request.tokenType);
  }

  private async post(
    tokenEndpoint: string,
    form: Record<string, string>,
    tokenType: RequestedTokenType = 'DPoP',
  ): Promise<TokenResponse> {
    let body: unknown;
    try {
      body = await firstValueFrom(
        this.http.post<unknown>(tokenEndpoint, new HttpParams({ fromObject: form }), {
          // No proof for a Bearer request: the server would bind the tokens to it.
          context: tokenType === 'DPoP' ? withDpopProof() : undefined,
          headers: { Accept: 'application/json' },
        }),
      );
    } catch (error) {
      throw tokenError(error, tokenEndpoint);
    }
    return tokenType === 'DPoP' ? checkTokenResponse(body) : checkBearerTokenResponse(body);
  }
}

/**
 * Checks a token response. DPoP was asked for, so a `token_type` other than `DPoP`
 * (compared case-insensitively, RFC 6749 §7.1) means the server ignored the proof and issued
 * Bearer tokens, which anyone holding them could replay: refuse them.
 */
export function checkTokenResponse(body: unknown): TokenResponse {
  const response = (body ?? {}) as Partial<TokenResponse>;
  if (typeof response.access_token !== 'string' || response.access_token === '') {
    throw new AuthError(
      'invalid_token_response',
      'The token endpoint answered without an access token.',
    );
  }
  if (typeof response.token_type !== 'string' || response.token_type.toLowerCase() !== 'dpop') {
    throw new AuthError(
      'bearer_token_issued',
      `The server issued ${response.token_type ?? 'untyped'} tokens instead of DPoP-bound ones, so the app refused them. ` +
        'Enable DPoP for this client on the authorization server (e.g. "DPoP-bound access tokens" / dpop_bound_access_tokens).',
    );
  }
  return response as TokenResponse;
}

/**
 * Checks a token response of the walkthrough's bearer client: no proof was sent, so the server
 * must answer `token_type: Bearer`. Anything else is not what the user asked to compare.
 */
export function checkBearerTokenResponse(body: unknown): TokenResponse {
  const response = (body ?? {}) as Partial<TokenResponse>;
  if (typeof response.access_token !== 'string' || response.access_token === '') {
    throw new AuthError(
      'invalid_token_response',
      'The token endpoint answered without an access token.',
    );
  }
  if (typeof response.token_type !== 'string' || response.token_type.toLowerCase() !== 'bearer') {
    throw new AuthError(
      'invalid_token_response',
      `The bearer client was issued ${response.token_type ?? 'untyped'} tokens instead of plain Bearer ones: ` +
        'register it without DPoP (no dpop_bound_access_tokens).',
    );
  }
  return response as TokenResponse;
}

function tokenError(error: unknown, tokenEndpoint: string): AuthError {
  if (error instanceof HttpErrorResponse && error.status === 0) {
    return new AuthError(
      'token_request_failed',
      `The token endpoint ${tokenEndpoint} did not answer: is the authorization server running? (npm start)`,
      undefined,
      { cause: error },
    );
  }
  if (error instanceof HttpErrorResponse) {
    const reported = readDpopError(error);
    if (reported) {
      return new AuthError(
        reported.error,
        `The token endpoint refused the request: ${reported.error}.`,
        reported.error_description,
        { cause: error, fromServer: true },
      );
    }
    return new AuthError(
      'token_request_failed',
      `The token endpoint answered ${error.status} ${error.statusText}.`.trim(),
      undefined,
      { cause: error },
    );
  }
  if (error instanceof AuthError) return error;
  return new AuthError(
    'token_request_failed',
    `The token request failed: ${error instanceof Error ? error.message : String(error)}`,
    undefined,
    { cause: error },
  );
}
