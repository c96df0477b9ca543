/**
 * @dpop-lab/protocol's DpopClient, as server specs use it: a fresh key, every request with a
 * proof and `Authorization: DPoP` when it carries a token, one retry after a nonce challenge —
 * the way the SPA and the CLIs do it — and the challenge of the first answer, if there was one,
 * for specs to assert on the handshake.
 *
 *   const client = await DpopClient.create();
 *   const { response, challenge } = await client.fetchWithDpop(url, { accessToken });
 *
 * `nonce: null` sends no nonce even if one is cached, a string sends that one; `retry: false`
 * disables the retry.
 */
import {
  createProofKey,
  DpopClient as ProtocolClient,
  isNonceChallenge,
  type DpopAnswer,
  type DpopRequestInit,
  type NonceCache,
  type ProofKey,
} from '@dpop-lab/protocol';

export type DpopFetchInit = DpopRequestInit;

/** A `use_dpop_nonce` answer: 400 (authorization server) or 401 (resource server). */
export interface NonceChallenge extends DpopAnswer {
  nonce: string;
  /** The `WWW-Authenticate` header as sent (a resource server's challenge). */
  wwwAuthenticate: string | null;
}

export interface DpopFetchResult {
  response: Response;
  challenge?: NonceChallenge;
}

export class DpopClient {
  private constructor(private readonly client: ProtocolClient) {}

  /** A client with a fresh, non-extractable ES256 key pair. */
  static async create(): Promise<DpopClient> {
    return new DpopClient(new ProtocolClient(await createProofKey()));
  }

  get key(): ProofKey {
    return this.client.key;
  }

  /** The latest `DPoP-Nonce` per origin. */
  get nonces(): NonceCache {
    return this.client.nonces;
  }

  async fetchWithDpop(url: string | URL, init: DpopFetchInit = {}): Promise<DpopFetchResult> {
    const { response, attempts } = await this.client.fetch(url, init);
    const first = attempts[0]!;
    const { answer } = first;
    if (!isNonceChallenge(answer) || !answer.nonce) return { response };
    const wwwAuthenticate = first.response.headers.get('www-authenticate');
    return { response, challenge: { ...answer, nonce: answer.nonce, wwwAuthenticate } };
  }
}
