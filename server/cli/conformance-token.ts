/**
 * The DPoP-bound access token `npm run conformance` tests the resource server with, from the
 * issuer's token endpoint (found by discovery), with a DPoP proof (RFC 9449 §5) and the token
 * endpoint's nonce when it asks for one (§8). That nonce is also what the catalogue tries as
 * "another server's nonce" when the API is on another origin.
 *
 * Two grants: client credentials (RFC 6749 §4.4) here, for a confidential client; a user's
 * authorization code in conformance-sign-in.ts. Both end in `requestToken`.
 */
import { DpopClient, isNonceChallenge, type ProofKey } from '@dpop-lab/protocol';
import { terminalText } from './terminal-text.ts';

/** The longest error or description of the token endpoint quoted in a message. */
const SERVER_WORDS = 300;

export interface ClientCredentials {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** RFC 8707 resource indicator; empty for none. */
  resource: string;
  key: ProofKey;
}

export interface ConformanceToken {
  accessToken: string;
  /** The token endpoint's DPoP nonce, if it issued one, and the endpoint that did. */
  issuerNonce?: { value: string; issuedBy: string };
}

/** No token: the message says what went wrong and what to change. */
export class TokenUnavailable extends Error {
  override readonly name = 'TokenUnavailable';
}

async function json(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json().catch(() => null);
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

function reach(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new TokenUnavailable(
      `${String(url)} did not answer (${cause}): is the issuer right, and up?`,
    );
  });
}

export interface IssuerEndpoints {
  tokenEndpoint: string;
  /** Absent when the issuer serves no authorization endpoint (client credentials only). */
  authorizationEndpoint?: string;
}

/** The issuer's endpoints, from its OpenID discovery document. */
export async function discoverIssuer(issuer: string): Promise<IssuerEndpoints> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await reach(url, { headers: { Accept: 'application/json' } });
  const metadata = await json(response);
  const { token_endpoint: tokenEndpoint, authorization_endpoint: authorizationEndpoint } = metadata;
  if (!response.ok || typeof tokenEndpoint !== 'string') {
    throw new TokenUnavailable(
      `${url} answered ${response.status} without a token_endpoint: is --issuer an OpenID issuer?`,
    );
  }
  return {
    tokenEndpoint,
    ...(typeof authorizationEndpoint === 'string' ? { authorizationEndpoint } : {}),
  };
}

export interface TokenRequest {
  tokenEndpoint: string;
  clientId: string;
  form: URLSearchParams;
  /** Extra headers, e.g. HTTP Basic for a confidential client. */
  headers?: Record<string, string>;
  key: ProofKey;
  /** What to check when the endpoint refuses, e.g. `check --client-id, --scope and --resource`. */
  advice: string;
}

/** A token request with a DPoP proof of `key`; refused unless it issues a DPoP-bound token. */
export async function requestToken(request: TokenRequest): Promise<ConformanceToken> {
  const { tokenEndpoint, clientId, key } = request;
  // The protocol's client answers the nonce challenge (§8) once, with a fresh proof.
  const { response, attempts } = await new DpopClient(key, { fetch: reach }).fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      ...request.headers,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: request.form,
  });
  const first = attempts[0]!.answer;
  const nonce = isNonceChallenge(first) ? first.nonce : undefined;
  const body = await json(response);
  const accessToken = body['access_token'];
  if (!response.ok || typeof accessToken !== 'string') {
    // The server's words, clipped, so the advice after them is still read (and printed safely).
    const why = [body['error'], body['error_description']]
      .filter(Boolean)
      .map((said) => terminalText(String(said), SERVER_WORDS))
      .join(': ');
    throw new TokenUnavailable(
      `The token endpoint ${tokenEndpoint} refused client ${clientId} (${response.status}${why ? ` ${why}` : ''}): ${request.advice}.`,
    );
  }
  if (String(body['token_type']).toLowerCase() !== 'dpop') {
    throw new TokenUnavailable(
      `The token endpoint issued a ${terminalText(String(body['token_type']), 40)} token, not a DPoP-bound one: register ${clientId} for DPoP-bound tokens.`,
    );
  }
  return {
    accessToken,
    ...(nonce ? { issuerNonce: { value: nonce, issuedBy: tokenEndpoint } } : {}),
  };
}

export async function fetchServiceToken(client: ClientCredentials): Promise<ConformanceToken> {
  const { tokenEndpoint } = await discoverIssuer(client.issuer);
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: client.scope });
  if (client.resource) form.set('resource', client.resource);
  const credentials = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
  return requestToken({
    tokenEndpoint,
    clientId: client.clientId,
    form,
    headers: { Authorization: `Basic ${btoa(credentials)}` },
    key: client.key,
    advice: 'check --client-id, --client-secret, --scope and --resource',
  });
}
