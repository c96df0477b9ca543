/**
 * The client one conformance run talks to the resource server with: the DPoP-bound token and its
 * key, the newest `DPoP-Nonce` the server issued (RFC 9449 §9), the server's clock, and `fetch`.
 * Each check builds what it sends from here, so every request differs from a correct one only in
 * the one thing the check is about.
 *
 * It keeps the run harmless: one request at a time (the replay race aside), a time limit on each,
 * no redirects followed, and the run stops (RunStopped) after three server errors or missing
 * answers in a row, or at the first `429 Too Many Requests`.
 */
import { signProof, type ProofFaults, type ProofKey, type ProofRequest } from '@dpop-lab/protocol';
import { asksForNonce, readAnswer, type Answer } from './answer.ts';

/** The headers of one request in order; a name may repeat (two `DPoP` headers). */
export type HeaderList = readonly (readonly [string, string])[];

export interface ProbeOptions {
  /** The protected resource, e.g. http://localhost:3001/api/apps. */
  url: string;
  /** Upper case, e.g. GET. */
  method: string;
  /** The key the access token is bound to (its `cnf.jkt`). */
  key: ProofKey;
  accessToken: string;
  fetch: typeof fetch;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  /** A nonce another server issued, and the URL that issued it (for the foreign-nonce check). */
  foreignNonce?: { value: string; issuedBy: string } | undefined;
  /** Wait until the run's first nonce is this old, then check it is refused (stale-nonce check). */
  staleNonceAfterSeconds?: number | undefined;
}

/** Ends a run early; `answer` is the one that made it stop. */
export class RunStopped extends Error {
  constructor(
    message: string,
    readonly answer: Answer,
  ) {
    super(message);
  }
}

/** The first request got no answer at all: the server is down, or the URL is wrong. */
export class ApiUnreachable extends Error {
  override readonly name = 'ApiUnreachable';
}

const FAILURES_IN_A_ROW_TO_STOP = 3;
/** A `Date` header has one-second resolution: smaller differences are not worth correcting. */
const CLOCK_OFFSET_TO_CORRECT_SECONDS = 5;

function failureOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'time limit reached';
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : error instanceof Error ? error.message : String(error);
}

export class Probe {
  /** The newest `DPoP-Nonce` the server sent. */
  nonce: string | undefined;
  /** The server answered a proof without a nonce with `use_dpop_nonce` (RFC 9449 §9). */
  requiresNonce = false;
  /** The first nonce of the run and when it came (for the stale-nonce check). */
  firstNonce: { value: string; receivedAt: number } | undefined;
  /** Server clock minus this clock, in seconds, when they differ noticeably. */
  clockOffsetSeconds = 0;
  private failuresInARow = 0;

  constructor(readonly options: ProbeOptions) {}

  get url(): string {
    return this.options.url;
  }

  get method(): string {
    return this.options.method;
  }

  get key(): ProofKey {
    return this.options.key;
  }

  get accessToken(): string {
    return this.options.accessToken;
  }

  sleep(ms: number): Promise<void> {
    return this.options.sleep(ms);
  }

  /** Now by the server's clock, in seconds: what a correct proof's `iat` is. */
  now(): number {
    return Math.floor(Date.now() / 1000 + this.clockOffsetSeconds);
  }

  /** Follows the server's clock from now on if its `Date` is seconds away from this one. */
  learnClock(answer: Answer): void {
    if (answer.date === undefined) return;
    const offset = (answer.date - Date.now()) / 1000;
    this.clockOffsetSeconds =
      Math.abs(offset) >= CLOCK_OFFSET_TO_CORRECT_SECONDS ? Math.round(offset) : 0;
  }

  /**
   * A proof for this request with the token's `ath`, the newest nonce and `iat` now, signed with
   * `key` (default the bound key); `request` and `overrides` change what the check is about.
   */
  proof(
    request: Partial<ProofRequest> = {},
    overrides: ProofFaults = {},
    key: ProofKey = this.key,
  ): Promise<string> {
    const correct: ProofRequest = {
      htm: this.method,
      htu: this.url,
      accessToken: this.accessToken,
      nonce: this.nonce,
      iat: this.now(),
    };
    return signProof(key, { ...correct, ...request }, overrides);
  }

  /** `Authorization: DPoP <token>` and the proof, in the scheme and header spelling given. */
  dpop(proof: string, { scheme = 'DPoP', header = 'DPoP' } = {}): HeaderList {
    return [
      ['Authorization', `${scheme} ${this.accessToken}`],
      [header, proof],
    ];
  }

  /**
   * Sends what `build` makes. When the server answers `use_dpop_nonce` with a nonce other than
   * the one the request carried, builds it again (now with that nonce) and retries once: the
   * nonce is not what the check is about. `retry: false` for the checks where it is.
   *
   * Not `DpopClient` (which the package's clients use): each check builds its own headers — two
   * proofs, a Bearer scheme, a faulty proof — which a client that signs for you cannot send, and
   * a retry after a nonce the request already carried would hide what the check is about.
   */
  async exchange(
    build: () => Promise<HeaderList>,
    { retry = true, url }: { retry?: boolean; url?: string } = {},
  ): Promise<Answer> {
    const carried = this.nonce;
    const first = await this.send(await build(), url);
    if (!retry || !asksForNonce(first) || first.nonce === carried) return first;
    return this.send(await build(), url);
  }

  /** One request; counts server errors and stops the run when they pile up. */
  async send(headers: HeaderList, url = this.url): Promise<Answer> {
    const answer = await this.sendUncounted(headers, url);
    this.count(answer);
    return answer;
  }

  /** `copies` identical requests at once (the replay race), counted once all have answered. */
  async sendAtOnce(headers: HeaderList, copies: number): Promise<Answer[]> {
    const answers = await Promise.all(
      Array.from({ length: copies }, () => this.sendUncounted(headers, this.url)),
    );
    answers.forEach((answer) => this.count(answer));
    return answers;
  }

  private async sendUncounted(headers: HeaderList, url: string): Promise<Answer> {
    const requestHeaders = new Headers();
    for (const [name, value] of headers) requestHeaders.append(name, value);
    let answer: Answer;
    try {
      const response = await this.options.fetch(url, {
        method: this.method,
        headers: requestHeaders,
        redirect: 'manual',
        cache: 'no-store',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      answer =
        response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)
          ? { status: 0, failure: 'a redirect, which this tool does not follow' }
          : await readAnswer(response);
    } catch (error) {
      answer = { status: 0, failure: failureOf(error) };
    }
    if (answer.nonce) {
      this.nonce = answer.nonce;
      this.firstNonce ??= { value: answer.nonce, receivedAt: Date.now() };
    }
    return answer;
  }

  private count(answer: Answer): void {
    if (answer.status === 429) {
      throw new RunStopped(
        'The server answered 429 Too Many Requests: stopped, so as not to add to its load. Run again later.',
        answer,
      );
    }
    const failed = answer.status === 0 || answer.status >= 500;
    this.failuresInARow = failed ? this.failuresInARow + 1 : 0;
    if (this.failuresInARow >= FAILURES_IN_A_ROW_TO_STOP) {
      throw new RunStopped(
        `The server failed ${FAILURES_IN_A_ROW_TO_STOP} requests in a row (server errors or no answer): stopped, so as not to add to its trouble.`,
        answer,
      );
    }
  }
}
