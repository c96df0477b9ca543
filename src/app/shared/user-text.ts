import type { AuthError, AuthErrorCode } from '../auth/auth-error';

/**
 * What the app tells a person when signing in fails, chosen by the error's code and said in their
 * terms: what happened, what to do. The error's own message is the developer's (config.json,
 * npm start): it goes to the console and under "Details for developers".
 */
const AUTH_TEXT: Record<AuthErrorCode, string> = {
  discovery_unreachable: 'The sign-in server did not answer. Try again in a moment.',
  discovery_blocked:
    'This page’s Content-Security-Policy does not allow the sign-in server: its connect-src must name the server’s origin.',
  discovery_failed: 'The sign-in server was not found. Try again later.',
  discovery_invalid: 'This sign-in server cannot serve this app.',
  dpop_not_supported: 'This browser cannot sign in here. Try a current browser.',
  state_mismatch: 'This sign-in was not started here. Sign in again.',
  issuer_mismatch: 'An unexpected server answered. Sign in again.',
  missing_code: 'The sign-in was not finished. Sign in again.',
  sign_in_refused: 'The sign-in server did not sign you in. Sign in again.',
  key_lost: 'The signing key was lost. Sign in again.',
  token_request_failed: 'The sign-in server did not answer. Try again in a moment.',
  token_request_refused: 'The sign-in was refused. Sign in again.',
  invalid_token_response: 'The sign-in server’s answer was unusable. Sign in again.',
  bearer_token_issued: 'The tokens were not bound to this browser: refused.',
  token_not_bound: 'The tokens were bound to another key: refused. Sign in again.',
  invalid_id_token: 'Your identity could not be checked. Sign in again.',
  no_refresh_token: 'Your sign-in cannot be extended. Sign in again.',
  session_expired: 'Your session has ended. Sign in again.',
  key_storage_failed: 'This browser would not keep the signing key. Allow site data, then reload.',
  code_not_loaded: 'Part of the app did not load. Check your connection and reload.',
  sign_in_failed: 'Signing in did not work. Sign in again.',
};

/** The sentence to show for an `AuthError`. */
export function textOfAuthError(error: AuthError): string {
  return AUTH_TEXT[error.code];
}

/**
 * The failures a new sign-in fixes — a session that ended or was never whole — where "Try again"
 * would only fail again.
 */
const FIXED_BY_SIGNING_IN: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>([
  'state_mismatch',
  'issuer_mismatch',
  'missing_code',
  'sign_in_refused',
  'key_lost',
  'token_request_refused',
  'invalid_token_response',
  'token_not_bound',
  'invalid_id_token',
  'no_refresh_token',
  'session_expired',
  'sign_in_failed',
]);

/** Whether signing in again is what fixes `error`. */
export function fixedBySigningIn(error: AuthError): boolean {
  return FIXED_BY_SIGNING_IN.has(error.code);
}
