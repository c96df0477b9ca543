import { safeReturnUrl } from './authorization-response';
import type { PendingSignIn } from './pending-sign-in';
import { createPkce, randomToken } from './pkce';

/** What the app puts on the authorization request (RFC 6749 §4.1.1 + PKCE, DPoP, resources). */
export interface AuthorizationRequest {
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  /**
   * RFC 7638 thumbprint of the DPoP key: binds the authorization code to it (RFC 9449 §10).
   * Left out when the key cannot outlive this page (memory-only).
   */
  dpopJkt?: string;
  /** RFC 8707 resource indicators the grant should cover (the API's). */
  resources: readonly string[];
}

/** The authorization URL to send the browser to. */
export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const url = new URL(request.authorizationEndpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', request.clientId);
  params.set('redirect_uri', request.redirectUri);
  params.set('scope', request.scopes.join(' '));
  params.set('state', request.state);
  params.set('nonce', request.nonce);
  params.set('code_challenge', request.codeChallenge);
  params.set('code_challenge_method', 'S256');
  if (request.dpopJkt) params.set('dpop_jkt', request.dpopJkt);
  for (const resource of request.resources) params.append('resource', resource);
  return url.href;
}

/**
 * A new authorization request with fresh PKCE, `state` and `nonce`: what the callback must check
 * and use (keep it until then), and the URL to send the browser to. `returnUrl` is kept only if
 * it is a path inside this app.
 */
export async function newAuthorization(
  request: Omit<AuthorizationRequest, 'state' | 'nonce' | 'codeChallenge'>,
  returnUrl: string,
): Promise<{ pending: PendingSignIn; url: string }> {
  const pkce = await createPkce();
  const pending: PendingSignIn = {
    state: randomToken(),
    nonce: randomToken(),
    codeVerifier: pkce.verifier,
    returnUrl: safeReturnUrl(returnUrl),
    ...(request.dpopJkt ? { dpopJkt: request.dpopJkt } : {}),
  };
  const url = buildAuthorizationUrl({
    ...request,
    state: pending.state,
    nonce: pending.nonce,
    codeChallenge: pkce.challenge,
  });
  return { pending, url };
}
