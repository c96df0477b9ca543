/**
 * `npm run conformance -- --sign-in`: a user's DPoP-bound token for APIs that refuse a client's
 * own (oidc-provider's userinfo endpoint refuses client-credentials tokens). The authorization
 * code flow of a native app (RFC 8252): PKCE (RFC 7636, S256), the code bound to this run's key
 * with `dpop_jkt` (RFC 9449 §10), a loopback redirect on a free port (RFC 8252 §7.3), the system
 * browser; then the code exchange with a proof of the same key, nonce handshake included (§8).
 *
 * What the user must do — open the URL, sign in — is told through `show` (the URL, on a line of
 * its own) and `progress`; the wait for the browser is bounded.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { ProofKey } from '@dpop-lab/protocol';

import {
  discoverIssuer,
  requestToken,
  TokenUnavailable,
  type ConformanceToken,
} from './conformance-token.ts';
import { SignInFailed, startLoopbackRedirect } from './loopback-redirect.ts';
import { openBrowser } from './open-browser.ts';

export interface SignInRequest {
  issuer: string;
  /** A public native client that may redirect to http://127.0.0.1:<port>/callback. */
  clientId: string;
  scope: string;
  /** RFC 8707 resource indicator, on the authorization and the token request; empty for none. */
  resource: string;
  key: ProofKey;
  /** Open the system browser at the URL (it is shown either way). */
  open: boolean;
  timeoutMs: number;
  /** Shows the URL to open. */
  show(url: string): void;
  /** Tells what happens meanwhile. */
  progress(message: string): void;
}

const random = () => randomBytes(32).toString('base64url');

export async function signInForConformance(request: SignInRequest): Promise<ConformanceToken> {
  const { issuer, clientId, key } = request;
  const { authorizationEndpoint, tokenEndpoint } = await discoverIssuer(issuer);
  if (!authorizationEndpoint) {
    throw new TokenUnavailable(
      `${issuer} names no authorization_endpoint, so no user can sign in there: leave out --sign-in to use client credentials.`,
    );
  }
  const state = random();
  const verifier = random();
  const loopback = await startLoopbackRedirect(state);
  try {
    const url = new URL(authorizationEndpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: loopback.redirectUri,
      scope: request.scope,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      dpop_jkt: key.thumbprint,
      ...(request.resource ? { resource: request.resource } : {}),
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);

    request.progress(`Sign in at ${issuer} as the user whose token the checks should use:`);
    request.show(url.href);
    if (request.open) {
      void openBrowser(url.href).then((opened) => {
        if (!opened)
          request.progress('No browser could be opened here: open the URL above yourself.');
      });
    }
    request.progress(
      `Waiting up to ${Math.round(request.timeoutMs / 1000)} s for the browser to come back to ${loopback.redirectUri} …`,
    );
    const { code, iss } = await loopback.wait(request.timeoutMs);
    // RFC 9207: the answer names the issuer it came from; another one is a mix-up attack.
    if (iss !== undefined && iss !== issuer) {
      throw new SignInFailed(
        `The browser came back from ${iss}, not from ${issuer}: sign in at the URL printed above.`,
      );
    }
    request.progress('Signed in: exchanging the code for a token bound to this run’s key …');

    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: loopback.redirectUri,
      code_verifier: verifier,
      client_id: clientId,
    });
    if (request.resource) form.set('resource', request.resource);
    return await requestToken({
      tokenEndpoint,
      clientId,
      form,
      key,
      advice: 'check --client-id (a public native client with DPoP), --scope and --resource',
    });
  } finally {
    await loopback.close();
  }
}
