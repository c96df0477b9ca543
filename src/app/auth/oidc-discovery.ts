import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { APP_CONFIG } from '../config/app-config';
import { Dpop } from '@dpop-lab/angular';
import { AuthError } from './auth-error';

/** The parts of the OpenID Provider metadata the app uses (OpenID Connect Discovery §3, RFC 8414). */
export interface OidcMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  /** RFC 7009 §2, RFC 8414 §2: where sign-out revokes the refresh token. */
  revocation_endpoint?: string;
  code_challenge_methods_supported?: string[];
  dpop_signing_alg_values_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
}

/**
 * Loads `<issuer>/.well-known/openid-configuration` once and checks that the server can do
 * what the app needs: the endpoints, PKCE S256 and DPoP. Which proof algorithm to use is the
 * DPoP core's choice (`Dpop.prepare`), from `dpop_signing_alg_values_supported`.
 *
 * As soon as the document is read, the token, revocation and PAR endpoints are registered with
 * the DPoP core (their requests carry a proof) and the userinfo endpoint goes on the DPoP allow
 * list, so no call to it can leave without the token and a proof.
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

  /** The userinfo endpoint; an `AuthError` when the server has none. */
  async userinfoEndpoint(): Promise<string> {
    const metadata = await this.metadata();
    if (!metadata.userinfo_endpoint) {
      throw new AuthError(
        'discovery_invalid',
        `The authorization server at ${metadata.issuer} has no userinfo endpoint.`,
      );
    }
    return metadata.userinfo_endpoint;
  }

  private async load(): Promise<OidcMetadata> {
    const issuer = this.config.issuer;
    const url = discoveryUrlOf(issuer);
    let body: unknown;
    try {
      body = await firstValueFrom(this.http.get<unknown>(url));
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 0) {
        // No answer: the server is down, or this page's CSP did not let the request leave.
        const csp = await import('../config/csp-blocked').catch(() => undefined);
        const blocked = await csp?.blockedByCsp(url);
        throw csp && blocked
          ? new AuthError(
              'discovery_blocked',
              csp.cspBlockedMessage(`The authorization server at ${issuer}`, blocked),
              { cause: error },
            )
          : new AuthError(
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
    this.dpop.useAuthorizationServer(metadata);
    if (metadata.userinfo_endpoint) this.dpop.allow({ url: metadata.userinfo_endpoint });
    return metadata;
  }
}

/**
 * Where an issuer publishes its metadata (OpenID Connect Discovery §4): the issuer with one
 * trailing "/" removed, then `/.well-known/openid-configuration`. A path stays: Okta
 * `…/oauth2/default`, Keycloak `…/realms/NAME`, WSO2 `…/oauth2/token`; Auth0's
 * `https://TENANT.auth0.com/` gives `https://TENANT.auth0.com/.well-known/openid-configuration`.
 */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

/** Checks the discovery document against the configured issuer and the app's needs. */
function checkMetadata(body: unknown, issuer: string): OidcMetadata {
  if (body === null || typeof body !== 'object') {
    throw new AuthError(
      'discovery_invalid',
      `The discovery document of ${issuer} is not a JSON object.`,
    );
  }
  const metadata = body as Partial<OidcMetadata>;
  // OpenID Connect Discovery §4.3: the issuer in the document must be identical to the one
  // configured, character for character (no trailing-slash or case folding), or every ID token
  // check (its `iss`) and the RFC 9207 `iss` check would compare against the wrong value.
  if (metadata.issuer !== issuer) {
    throw new AuthError('discovery_invalid', issuerMismatch(metadata.issuer, issuer));
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

function issuerMismatch(named: unknown, configured: string): string {
  const found = typeof named === 'string' ? `the issuer "${named}"` : 'no issuer';
  const slashOnly =
    typeof named === 'string' && named.replace(/\/$/, '') === configured.replace(/\/$/, '')
      ? ' They differ only in the trailing "/", which counts.'
      : '';
  return (
    `The discovery document at ${discoveryUrlOf(configured)} names ${found}, but config.json ` +
    `says "${configured}": the two must be identical (OpenID Connect Discovery §4.3).${slashOnly} ` +
    'Copy the document\'s "issuer" into config.json.'
  );
}
