import { HttpClient, HttpContext, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { readDpopResponse } from '../dpop';
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

/** Who asks, and how: the client id and the request context (the DPoP proof, if any). */
export interface TokenRequester {
  clientId: string;
  tokenRequestContext: HttpContext | undefined;
}

/**
 * Talks to the token endpoint: the code exchange and the refresh-token grant, form-encoded. In
 * DPoP mode the request carries `withDpopProof()`, so the interceptor adds the proof and answers
 * the server's `use_dpop_nonce` challenge (RFC 9449 §8).
 */
@Injectable({ providedIn: 'root' })
export class TokenClient {
  private readonly http = inject(HttpClient);

  exchangeCode(
    tokenEndpoint: string,
    requester: TokenRequester,
    grant: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<TokenResponse> {
    return this.post(tokenEndpoint, requester, {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    });
  }

  /** `resource`: the RFC 8707 indicator the new access token is for; none for the sign-in token. */
  refresh(
    tokenEndpoint: string,
    requester: TokenRequester,
    grant: { refreshToken: string; resource?: string },
  ): Promise<TokenResponse> {
    return this.post(tokenEndpoint, requester, {
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
      ...(grant.resource === undefined ? {} : { resource: grant.resource }),
    });
  }

  private async post(
    tokenEndpoint: string,
    requester: TokenRequester,
    form: Record<string, string>,
  ): Promise<TokenResponse> {
    let body: unknown;
    try {
      body = await firstValueFrom(
        this.http.post<unknown>(
          tokenEndpoint,
          new HttpParams({ fromObject: { ...form, client_id: requester.clientId } }),
          { context: requester.tokenRequestContext, headers: { Accept: 'application/json' } },
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

function tokenError(error: unknown, tokenEndpoint: string): AuthError {
  if (!(error instanceof HttpErrorResponse)) return AuthError.from(error);
  if (error.status === 0) {
    return new AuthError(
      'token_request_failed',
      `The token endpoint ${tokenEndpoint} did not answer: is the authorization server running? (npm start)`,
      { cause: error },
    );
  }
  const { error: code, description } = readDpopResponse(error);
  if (code) {
    return new AuthError(
      'token_request_refused',
      `The token endpoint refused the request: ${code}.`,
      {
        server: { error: code, ...(description ? { description } : {}) },
        cause: error,
      },
    );
  }
  return new AuthError(
    'token_request_failed',
    `The token endpoint answered ${error.status} ${error.statusText}.`.trim(),
    { cause: error },
  );
}
