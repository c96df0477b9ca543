import {
  DpopClient,
  isNonceChallenge,
  readDpopAnswer,
  type DpopFetchResult,
  type ProofKey,
} from '@dpop-lab/protocol';

import { discoveryUrlOf } from '../auth/oidc-discovery';

/**
 * What script running in this page can do with the browser's own APIs and @dpop-lab/protocol's
 * `DpopClient` — no interceptor, no `Auth`: read the issuer's discovery document and call its
 * token endpoint and the API with DPoP proofs of a key it holds, answering one nonce challenge as
 * any client may (RFC 9449 §8, §9). The lessons of the attack lab and the "Check this API" page
 * use it.
 */

export interface IssuerMetadata {
  authorization_endpoint: string;
  token_endpoint: string;
}

/** One response, read once. */
export interface ScriptAnswer {
  status: number;
  body: Record<string, unknown>;
  error?: string;
  nonce?: string;
  /** The `WWW-Authenticate` header, as the server sent it. */
  wwwAuthenticate?: string;
  /** The nonce the server challenged the first request with, if it did. */
  challengedWith?: string;
}

export async function discover(issuer: string): Promise<IssuerMetadata> {
  const url = discoveryUrlOf(issuer);
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(
      `The discovery document of ${issuer} could not be read: ${url} answered ${response.status}.`,
    );
  }
  const metadata = (await response.json()) as Partial<IssuerMetadata>;
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw new Error(`The discovery document of ${issuer} has no authorization or token endpoint.`);
  }
  return metadata as IssuerMetadata;
}

/** A form POST to the token endpoint, with a DPoP proof of `key` when one is given. */
export async function postToken(
  tokenEndpoint: string,
  form: Record<string, string>,
  key?: ProofKey,
  { retry = true } = {},
): Promise<ScriptAnswer> {
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form),
  };
  if (!key) return answerOf(await fetch(tokenEndpoint, init));
  return answerOfClient(await new DpopClient(key).fetch(tokenEndpoint, { ...init, retry }));
}

/** A GET with `Authorization: DPoP <token>` and a proof of `key`. */
export async function getWithDpop(
  url: string,
  accessToken: string,
  key: ProofKey,
): Promise<ScriptAnswer> {
  return answerOfClient(await new DpopClient(key).fetch(url, { accessToken }));
}

/** The last answer, and the nonce of the first if it was a challenge. */
async function answerOfClient({ response, attempts }: DpopFetchResult): Promise<ScriptAnswer> {
  const first = attempts[0]!.answer;
  const answer = await answerOf(response);
  return isNonceChallenge(first) && first.nonce
    ? { ...answer, challengedWith: first.nonce }
    : answer;
}

async function answerOf(response: Response): Promise<ScriptAnswer> {
  const parsed: unknown = await response.json().catch(() => null);
  const body =
    parsed !== null && typeof parsed === 'object' ? (parsed as ScriptAnswer['body']) : {};
  const { error, nonce } = readDpopAnswer({
    status: response.status,
    headers: response.headers,
    body,
  });
  const wwwAuthenticate = response.headers.get('www-authenticate');
  return {
    status: response.status,
    body,
    ...(error ? { error } : {}),
    ...(nonce ? { nonce } : {}),
    ...(wwwAuthenticate ? { wwwAuthenticate } : {}),
  };
}
