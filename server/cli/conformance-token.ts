/**
 * The DPoP-bound access token `npm run conformance` tests the resource server with: client
 * credentials (RFC 6749 §4.4) at the issuer's token endpoint, found by discovery, with a DPoP
 * proof (RFC 9449 §5) and the token endpoint's nonce when it asks for one (§8). That nonce is
 * also what the catalogue tries as "another server's nonce".
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

export interface ServiceToken {
  accessToken: string;
  /** The token endpoint's DPoP nonce, if it issued one. */
  issuerNonce?: string;
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

async function tokenEndpointOf(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await reach(url, { headers: { Accept: 'application/json' } });
  const endpoint = (await json(response))['token_endpoint'];
  if (!response.ok || typeof endpoint !== 'string') {
    throw new TokenUnavailable(
      `${url} answered ${response.status} without a token_endpoint: is --issuer an OpenID issuer?`,
    );
  }
  return endpoint;
}

export async function fetchServiceToken(client: ClientCredentials): Promise<ServiceToken> {
  const tokenEndpoint = await tokenEndpointOf(client.issuer);
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: client.scope });
  if (client.resource) form.set('resource', client.resource);
  const credentials = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
  // The protocol's client answers the nonce challenge (§8) once, with a fresh proof.
  const { response, attempts } = await new DpopClient(client.key, { fetch: reach }).fetch(
    tokenEndpoint,
    {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa(credentials)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: form,
    },
  );
  const first = attempts[0]!.answer;
  const issuerNonce = isNonceChallenge(first) ? first.nonce : undefined;
  const body = await json(response);
  const accessToken = body['access_token'];
  if (!response.ok || typeof accessToken !== 'string') {
    // The server's words, clipped, so the advice after them is still read (and printed safely).
    const why = [body['error'], body['error_description']]
      .filter(Boolean)
      .map((said) => terminalText(String(said), SERVER_WORDS))
      .join(': ');
    throw new TokenUnavailable(
      `The token endpoint ${tokenEndpoint} refused client ${client.clientId} (${response.status}${why ? ` ${why}` : ''}): check --client-id, --client-secret, --scope and --resource.`,
    );
  }
  if (String(body['token_type']).toLowerCase() !== 'dpop') {
    throw new TokenUnavailable(
      `The token endpoint issued a ${terminalText(String(body['token_type']), 40)} token, not a DPoP-bound one: register ${client.clientId} for DPoP-bound tokens.`,
    );
  }
  return { accessToken, ...(issuerNonce ? { issuerNonce } : {}) };
}
