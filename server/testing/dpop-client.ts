/**
 * A small DPoP client (RFC 9449) for server tests: a key pair, and `fetchWithDpop`, which signs a
 * proof (../dpop-proof/) for every request and does the nonce handshake the way the SPA does.
 *
 *   const client = await DpopClient.create();              // fresh ES256 key pair
 *   client.key.thumbprint                                  // RFC 7638 thumbprint (`dpop_jkt`, `cnf.jkt`)
 *
 *   const { response, challenge } = await client.fetchWithDpop(url, {
 *     method: 'POST', body: new URLSearchParams({...}),    // any RequestInit
 *     accessToken,                                         // → `Authorization: DPoP <token>` and `ath`
 *   });
 *
 * `fetchWithDpop` sends a proof with the last nonce this client saw from that origin (none at
 * first). If the server answers with a nonce challenge (nonceChallengeOf) it retries once with a
 * fresh proof carrying the `DPoP-Nonce` it got. `challenge` describes that first answer
 * (undefined if there was none), so tests can assert on the handshake. Pass `nonce: null` to send
 * no nonce even if one is cached, or a string to send that one; `retry: false` disables the retry.
 */
import { nonceChallengeOf, type ServerAnswer } from '../dpop-proof/nonce-challenge.ts';
import { createProofKey, type ProofKey } from '../dpop-proof/proof-key.ts';
import { signProof } from '../dpop-proof/sign-proof.ts';

export interface DpopFetchInit extends RequestInit {
  accessToken?: string;
  /** `undefined`: the cached nonce for the origin; `null`: none; a string: that nonce. */
  nonce?: string | null;
  /** Retry once after a nonce challenge (default true). */
  retry?: boolean;
}

/** A `use_dpop_nonce` answer: 400 (authorization server) or 401 (resource server). */
export interface NonceChallenge extends ServerAnswer {
  nonce: string;
}

export interface DpopFetchResult {
  response: Response;
  challenge?: NonceChallenge;
}

async function readChallenge(response: Response): Promise<NonceChallenge | undefined> {
  const answer: ServerAnswer = {
    status: response.status,
    nonce: response.headers.get('dpop-nonce'),
    wwwAuthenticate: response.headers.get('www-authenticate'),
    // Only an authorization server's 400 says use_dpop_nonce in its body (RFC 9449 §8).
    body:
      response.status === 400 && response.headers.has('dpop-nonce')
        ? await response
            .clone()
            .json()
            .catch(() => undefined)
        : undefined,
  };
  const nonce = nonceChallengeOf(answer);
  return nonce === undefined ? undefined : { ...answer, nonce };
}

export class DpopClient {
  /** The last `DPoP-Nonce` seen per origin. */
  readonly nonces = new Map<string, string>();

  private constructor(readonly key: ProofKey) {}

  /** A client with a fresh, non-extractable ES256 key pair. */
  static async create(): Promise<DpopClient> {
    return new DpopClient(await createProofKey());
  }

  /** fetch() with a fresh proof, `Authorization: DPoP`, and one retry after a nonce challenge. */
  async fetchWithDpop(url: string | URL, init: DpopFetchInit = {}): Promise<DpopFetchResult> {
    const { accessToken, nonce, retry = true, ...requestInit } = init;
    const origin = new URL(url).origin;
    const method = (requestInit.method ?? 'GET').toUpperCase();

    const send = async (proofNonce: string | undefined) => {
      const headers = new Headers(requestInit.headers);
      const proof = await signProof(this.key, {
        htm: method,
        htu: url,
        accessToken,
        nonce: proofNonce,
      });
      headers.set('DPoP', proof);
      if (accessToken) headers.set('Authorization', `DPoP ${accessToken}`);
      const response = await fetch(url, { ...requestInit, method, headers });
      const next = response.headers.get('dpop-nonce');
      if (next) this.nonces.set(origin, next);
      return response;
    };

    const first = await send(nonce === null ? undefined : (nonce ?? this.nonces.get(origin)));
    const challenge = await readChallenge(first);
    if (!challenge || !retry) return { response: first, challenge };
    await first.body?.cancel();
    return { response: await send(challenge.nonce), challenge };
  }
}
