import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { APP_CONFIG } from '../config/app-config';
import { Dpop } from '../dpop';
import { AuthError } from './auth-error';

/** The parts of the OpenID Provider metadata the app uses (OpenID Connect Discovery §3, RFC 8414). */
export interface OidcMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
  dpop_signing_alg_values_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
}

/**
 * Loads `<issuer>/.well-known/openid-configuration` once and checks that the server can do
 * what the app needs: the endpoints, PKCE S256 and DPoP. Which proof algorithm to use is the
 * DPoP core's choice (`Dpop.prepare`), from `dpop_signing_alg_values_supported`.
 *
 * The userinfo endpoint goes on the DPoP allow list as soon as the document is read, so no call
 * to it can leave without the token and a proof.
 */
@Injectable({ providedIn: 'root' })
export class OidcDiscovery {
  private readonly http = inject(HttpClient);
  private readonly config = inject(APP_CONFIG);
  private readonly dpop = inject(Dpop);
  private pending?: Promise<OidcMetadata>;

  /** The metadata; a failed load is not cached, so the next call tries again. */
  metadata(): Promise<OidcMetadata> {
    this.pending ??= this.load().catch((error: unknown) => {
      this.pending = undefined;
      throw error;
    });
    return this.pending;
  }

  private async load(): Promise<OidcMetadata> {
    const issuer = this.config.issuer;
    const url = `${issuer}/.well-known/openid-configuration`;
    let body: unknown;
    try {
      body = await firstValueFrom(this.http.get<unknown>(url));
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 0) {
        throw new AuthError(
          'discovery_unreachable',
          `The authorization server at ${issuer} did not answer: is it running? (npm start)`,
          { cause: error },
        );
      }
      const status = error instanceof HttpErrorResponse ? `${error.status}` : 'an error';
      throw new AuthError(
        'discovery_failed',
        `The authorization server at ${issuer} answered ${status} for ${url}: check "issuer" in config.json.`,
        { cause: error },
      );
    }
    const metadata = checkMetadata(body, issuer);
    if (metadata.userinfo_endpoint) this.dpop.allow({ url: metadata.userinfo_endpoint });
    return metadata;
  }
}

/** Checks the discovery document against the configured issuer and the app's needs. */
export function checkMetadata(body: unknown, issuer: string): OidcMetadata {
  if (body === null || typeof body !== 'object') {
    throw new AuthError(
      'discovery_invalid',
      `The discovery document of ${issuer} is not a JSON object.`,
    );
  }
  const metadata = body as Partial<OidcMetadata>;
  // OpenID Connect Discovery §4.3: the issuer in the document must be the one we asked.
  if (metadata.issuer !== issuer) {
    throw new AuthError(
      'discovery_invalid',
      `The discovery document names the issuer "${metadata.issuer}", but config.json says "${issuer}": make them match exactly.`,
    );
  }
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof metadata[field] !== 'string') {
      throw new AuthError(
        'discovery_invalid',
        `The discovery document of ${issuer} has no "${field}".`,
      );
    }
  }
  const pkce = metadata.code_challenge_methods_supported;
  if (pkce !== undefined && !pkce.includes('S256')) {
    throw new AuthError(
      'discovery_invalid',
      `The authorization server at ${issuer} does not support PKCE with S256 (code_challenge_methods_supported: ${pkce.join(', ')}).`,
    );
  }
  const dpopAlgs = metadata.dpop_signing_alg_values_supported;
  if (!Array.isArray(dpopAlgs)) {
    throw new AuthError(
      'dpop_not_supported',
      `The authorization server at ${issuer} does not do DPoP: its discovery document has no "dpop_signing_alg_values_supported". Turn DPoP on for the server and the client.`,
    );
  }
  if (!dpopAlgs.every((alg) => typeof alg === 'string')) {
    throw new AuthError(
      'discovery_invalid',
      `The discovery document of ${issuer} lists "dpop_signing_alg_values_supported" with values that are not algorithm names.`,
    );
  }
  return metadata as OidcMetadata;
}
