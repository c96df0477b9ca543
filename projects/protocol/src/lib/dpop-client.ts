import { readDpopAnswer, type DpopAnswer } from './dpop-answer.ts';
import { NonceCache } from './nonce-cache.ts';
import type { ProofKey } from './proof-key.ts';
import { afterRetry, nextRetry, type DpopRetry, type RetryState } from './retry.ts';
import type { ServerClocks } from './server-clocks.ts';
import { signProof } from './sign-proof.ts';

export interface DpopClientOptions {
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Shared with other clients of the same key, or a new one. */
  nonces?: NonceCache;
  /** With clocks, `iat` follows each server's `Date` and a skewed proof is retried once. */
  clocks?: ServerClocks;
}

export interface DpopRequestInit extends RequestInit {
  /** Sent as `Authorization: DPoP <token>`, with `ath` in the proof (RFC 9449 §7.1). */
  accessToken?: string;
  /** `undefined`: the origin's latest nonce; `null`: none; a string: that nonce. */
  nonce?: string | null;
  /** Retry as the rule says (`nextRetry`); default true. */
  retry?: boolean;
  /**
   * The proofs' `iat`, seconds since the epoch; default now (by the server's clock, with clocks).
   * A lab or a verifier's test may send an old one.
   */
  iat?: number;
}

/** One request sent, with its proof and the answer read once. */
export interface DpopAttempt {
  method: string;
  url: string;
  /** The request headers as sent, proof included. */
  headers: Headers;
  proof: string;
  response: Response;
  answer: DpopAnswer;
  /** Why this attempt followed the one before it. */
  retry?: DpopRetry;
}

export interface DpopFetchResult {
  /** The last answer's response, its body unread. */
  response: Response;
  answer: DpopAnswer;
  /** Every attempt in order: the first, then a retry if the rule asked for one. */
  attempts: DpopAttempt[];
}

/** An error body past this size is not read (an OAuth error body is small). */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * A DPoP client on `fetch`, for Node and for script in a page: every request gets a fresh proof
 * of `key` (a new `jti`), with `ath` and `Authorization: DPoP` when it carries an access token;
 * every answer feeds the nonce cache (and the clocks); a refusal the retry rule can fix is retried
 * once with a fresh proof. The request body must be one fetch can send twice (a string,
 * `URLSearchParams`, …), not a stream.
 *
 *   const client = new DpopClient(await createProofKey());
 *   const { response } = await client.fetch(url, { accessToken });
 */
export class DpopClient {
  readonly nonces: NonceCache;
  readonly clocks: ServerClocks | undefined;
  private readonly send: typeof fetch;

  constructor(
    readonly key: ProofKey,
    options: DpopClientOptions = {},
  ) {
    this.nonces = options.nonces ?? new NonceCache();
    this.clocks = options.clocks;
    this.send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async fetch(url: string | URL, init: DpopRequestInit = {}): Promise<DpopFetchResult> {
    const { accessToken, nonce, retry = true, iat, ...request } = init;
    const method = request.method ?? 'GET';
    const href = String(url);
    const attempts: DpopAttempt[] = [];
    let state: RetryState = { nonceRetried: false, clockRetried: false };
    let next: { nonce: string | undefined; retry?: DpopRetry } = {
      nonce: nonce === null ? undefined : (nonce ?? this.nonces.get(href)),
    };
    for (;;) {
      const offset = this.clocks?.offset(href) ?? 0;
      const proof = await signProof(this.key, {
        htm: method,
        htu: href,
        accessToken,
        nonce: next.nonce,
        iat: iat ?? Math.floor((Date.now() + offset) / 1000),
      });
      const headers = new Headers(request.headers);
      headers.set('DPoP', proof);
      if (accessToken !== undefined) headers.set('Authorization', `DPoP ${accessToken}`);
      const response = await this.send(href, { ...request, method, headers });
      const answer = readDpopAnswer({
        status: response.status,
        url: response.url || href,
        headers: response.headers,
        body: await errorBodyOf(response),
      });
      if (answer.nonce) this.nonces.remember(href, answer.nonce);
      if (answer.date !== undefined) this.clocks?.observe(href, answer.date);
      attempts.push({
        method,
        url: href,
        headers,
        proof,
        response,
        answer,
        ...(next.retry ? { retry: next.retry } : {}),
      });
      const again = retry
        ? nextRetry(answer, state, { clockMoved: this.clocks?.movedSince(href, offset) ?? false })
        : null;
      if (!again) return { response, answer, attempts };
      await response.body?.cancel();
      state = afterRetry(state, again);
      next = {
        nonce: again.reason === 'use_dpop_nonce' ? again.nonce : this.nonces.get(href),
        retry: again,
      };
    }
  }
}

/** The body of a 400 or 401 (where OAuth errors are), read from a clone; undefined otherwise. */
async function errorBodyOf(response: Response): Promise<string | undefined> {
  if (response.status !== 400 && response.status !== 401) return undefined;
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_ERROR_BODY_BYTES) return undefined;
  return response
    .clone()
    .text()
    .then((text) => (text.length > MAX_ERROR_BODY_BYTES ? undefined : text))
    .catch(() => undefined);
}
