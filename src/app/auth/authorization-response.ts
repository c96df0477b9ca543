import { AuthError } from './auth-error';
import type { OidcMetadata } from './oidc-discovery';
import type { PendingSignIn } from './pending-sign-in';

/** The query parameters of the authorization response (RFC 6749 §4.1.2, RFC 9207). */
export interface CallbackParams {
  code?: string | null;
  state?: string | null;
  iss?: string | null;
  error?: string | null;
  error_description?: string | null;
}

/** RFC 6749 §4.1.2: the response must answer a sign-in started here, with a code. */
export function checkAuthorizationResponse(
  params: CallbackParams,
  pending: PendingSignIn | null,
): { pending: PendingSignIn; code: string } {
  if (!pending || !params.state || params.state !== pending.state) {
    throw new AuthError(
      'state_mismatch',
      'This sign-in response does not match a sign-in started here (missing or wrong "state"). ' +
        'It may be old, used already, or from another tab. Sign in again.',
    );
  }
  if (params.error) {
    throw new AuthError(
      'sign_in_refused',
      params.error === 'access_denied'
        ? 'The sign-in was cancelled or refused (access_denied).'
        : `The authorization server refused the sign-in: ${params.error}.`,
      {
        server: {
          error: params.error,
          ...(params.error_description ? { description: params.error_description } : {}),
        },
      },
    );
  }
  if (!params.code) {
    throw new AuthError('missing_code', 'The sign-in response has no authorization code.');
  }
  return { pending, code: params.code };
}

/** RFC 9207: the response names its issuer; a different one means a mix-up attack. */
export function checkIssuer(iss: string | null | undefined, metadata: OidcMetadata): void {
  if (
    (iss && iss !== metadata.issuer) ||
    (!iss && metadata.authorization_response_iss_parameter_supported)
  ) {
    throw new AuthError(
      'issuer_mismatch',
      `This sign-in response comes from "${iss ?? 'an unnamed issuer'}", not from ${metadata.issuer}. Sign in again.`,
    );
  }
}

/** Only paths inside this app: never an open redirect to another site. */
export function safeReturnUrl(url: string): string {
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : '/';
}
