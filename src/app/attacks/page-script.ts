import { nonceChallengeOf } from '../../../server/dpop-proof/nonce-challenge.ts';
import type { ProofKey } from '../../../server/dpop-proof/proof-key.ts';
import { signProof } from '../../../server/dpop-proof/sign-proof.ts';
import { discoveryUrlOf } from '../auth/oidc-discovery';

/**
 * What script running in this page can do with the browser's own APIs and nothing of the app's —
 * no interceptor, no `Auth`: read the issuer's discovery document and call its token endpoint and
 * the API with DPoP proofs of a key it holds, answering one nonce challenge as any client may
 * (RFC 9449 §8, §9). The lessons of the attack lab and the "Check this API" page use it.
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

async function answerOf(response: Response): Promise<ScriptAnswer> {
  const parsed: unknown = await response.json().catch(() => null);
  const body =
    parsed !== null && typeof parsed === 'object' ? (parsed as ScriptAnswer['body']) : {};
  const wwwAuthenticate = response.headers.get('www-authenticate');
  const challenge = /error="([^"]+)"/.exec(wwwAuthenticate ?? '')?.[1];
  const error = typeof body['error'] === 'string' ? body['error'] : challenge;
  const nonce = response.headers.get('dpop-nonce');
  return {
    status: response.status,
    body,
    ...(error ? { error } : {}),
    ...(nonce ? { nonce } : {}),
    ...(wwwAuthenticate ? { wwwAuthenticate } : {}),
  };
}

/** The answer, and the nonce the server challenged the first request with, if it did. */
export type NonceAnswer = ScriptAnswer & { challengedWith?: string };

/**
 * Sends the request `build` makes (with no nonce at first); when the server answers with a nonce
 * challenge, builds it again with that nonce and sends it once more, unless `retry` is false.
 */
async function withNonce(
  build: (nonce?: string) => Promise<[string, RequestInit]>,
  retry = true,
): Promise<NonceAnswer> {
  const first = await answerOf(await fetch(...(await build())));
  const nonce = nonceChallengeOf({
    status: first.status,
    nonce: first.nonce,
    wwwAuthenticate: first.wwwAuthenticate,
    body: first.body,
  });
  if (!nonce) return first;
  if (!retry) return { ...first, challengedWith: nonce };
  return { ...(await answerOf(await fetch(...(await build(nonce))))), challengedWith: nonce };
}

/** A form POST to the token endpoint, with a DPoP proof of `key` when one is given. */
export function postToken(
  tokenEndpoint: string,
  form: Record<string, string>,
  key?: ProofKey,
  { retry = true } = {},
): Promise<NonceAnswer> {
  return withNonce(
    async (nonce) => [
      tokenEndpoint,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          ...(key
            ? { DPoP: await signProof(key, { htm: 'POST', htu: tokenEndpoint, nonce }) }
            : {}),
        },
        body: new URLSearchParams(form),
      },
    ],
    retry,
  );
}

/** A GET with `Authorization: DPoP <token>` and a proof of `key`. */
export function getWithDpop(url: string, accessToken: string, key: ProofKey): Promise<NonceAnswer> {
  return withNonce(async (nonce) => [
    url,
    {
      headers: {
        Authorization: `DPoP ${accessToken}`,
        DPoP: await signProof(key, { htm: 'GET', htu: url, accessToken, nonce }),
      },
    },
  ]);
}
