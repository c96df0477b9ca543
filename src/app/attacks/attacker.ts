import {
  HttpBackend,
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  HttpHeaders,
  HttpResponseBase,
} from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { DpopDevtools, DpopExchange } from '@dpop-lab/angular/devtools';
import {
  createProofKey,
  DpopClient,
  readDpopAnswer,
  type DpopRequestInit,
  type ProofKey,
} from '@dpop-lab/protocol';
import { firstValueFrom } from 'rxjs';

import { Auth } from '../auth/auth';
import { BearerSession } from '../bearer-comparison/bearer-session';
import { APP_CONFIG } from '../config/app-config';
import { REQUEST_PURPOSE } from '../shared/request-purpose';
import { AttackId, AttackOutcome } from './attack-catalogue';

/** Ten minutes: twice the API's window of ±300 s for `iat`. */
const OLD_IAT_SECONDS = 600;

/**
 * Runs the attack lab's attacks against the real API, as a thief would: with a client of its own.
 *
 * Its requests go through `HttpBackend`, or @dpop-lab/protocol's `DpopClient` on fetch when it
 * signs proofs of its own: no interceptor sees them — neither the DPoP interceptor (so nothing is
 * attached automatically, nothing is retried for it, and the app's nonce cache, clock and event
 * log stay untouched) nor any other. That is the thief's position exactly, and it needs no "skip
 * DPoP" switch in the package that app code could misuse. The one request that does go through
 * the app's `HttpClient` is the legitimate call whose proof is "captured".
 *
 * Nothing here changes the session: tokens are read (or refreshed, as any view would), the real
 * key is only used to sign (the `old-iat` proof), and refused proofs are never recorded by the API.
 */
@Injectable({ providedIn: 'root' })
export class Attacker {
  private readonly thief = new HttpClient(inject(HttpBackend));
  private readonly app = inject(HttpClient);
  private readonly devtools = inject(DpopDevtools);
  private readonly auth = inject(Auth);
  private readonly bearer = inject(BearerSession);
  private readonly api = inject(APP_CONFIG).api;

  private get usersUrl(): string {
    return `${this.api.baseUrl}users`;
  }

  private get appsUrl(): string {
    return `${this.api.baseUrl}apps`;
  }

  async run(id: AttackId): Promise<AttackOutcome> {
    switch (id) {
      case 'bearer-replay':
        return this.send(this.usersUrl, { Authorization: `Bearer ${this.stealBearerToken()}` }, [
          'Copied the plain bearer token and sent it from a client of its own, as Authorization: Bearer.',
        ]);
      case 'dpop-as-bearer':
        return this.send(this.usersUrl, { Authorization: `Bearer ${await this.stealToken()}` }, [
          'Copied the access token and sent it from a client of its own, as Authorization: Bearer.',
        ]);
      case 'no-proof':
        return this.send(this.usersUrl, { Authorization: `DPoP ${await this.stealToken()}` }, [
          'Copied the access token and sent it as Authorization: DPoP, with no DPoP header.',
        ]);
      case 'replayed-proof': {
        const { token, proof, steps } = await this.capture(this.usersUrl);
        return this.send(this.usersUrl, { Authorization: `DPoP ${token}`, DPoP: proof }, [
          ...steps,
          'Sent the same token and the same proof to GET /api/users again.',
        ]);
      }
      case 'wrong-url': {
        const { token, proof, steps } = await this.capture(this.usersUrl);
        return this.send(this.appsUrl, { Authorization: `DPoP ${token}`, DPoP: proof }, [
          ...steps,
          'Sent that token and proof to GET /api/apps.',
        ]);
      }
      case 'foreign-key': {
        const token = await this.stealToken();
        // A fresh ES256 key pair, as a thief would make one: not the browser's.
        const key = await createProofKey();
        return this.withNonce(key, { accessToken: token }, [
          `Made its own ${key.algorithm} key pair and signed a proof for the stolen token with it.`,
        ]);
      }
      case 'old-iat': {
        const token = await this.stealToken();
        const key = await this.devtools.key(); // script in the page can sign with it, never read it
        const iat = Math.floor(Date.now() / 1000) - OLD_IAT_SECONDS;
        return this.withNonce(key, { accessToken: token, iat }, [
          `Signed a proof with this browser's key, iat ${new Date(iat * 1000).toISOString()} (ten minutes ago).`,
        ]);
      }
    }
  }

  /** The bearer comparison's token — copied as easily, and usable as it is. */
  private stealBearerToken(): string {
    const token = this.bearer.accessToken();
    if (!token) throw new Error('There is no plain bearer token to steal: get one first.');
    return token;
  }

  /** The session's access token for the API — what a thief copies from DevTools. */
  private async stealToken(): Promise<string> {
    const token = await this.auth.accessToken(this.api.resource);
    if (!token) throw new Error('There is no access token to steal: sign in first.');
    return token;
  }

  /**
   * Lets the app make a legitimate call through its interceptor and captures what went over the
   * wire when the API accepted it: the proof, and the token it was made for.
   */
  private async capture(url: string): Promise<{ token: string; proof: string; steps: string[] }> {
    // A new subscriber first gets the latest exchanges again: keep only those answered from now on.
    const since = Date.now();
    const seen: DpopExchange[] = [];
    const watching = this.devtools.exchanges.subscribe((exchange) => {
      if (exchange.at >= since) seen.push(exchange);
    });
    try {
      const context = new HttpContext().set(REQUEST_PURPOSE, { kind: 'attack-capture' });
      await firstValueFrom(this.app.get(url, { context }));
    } finally {
      watching.unsubscribe();
    }
    const proof = seen.filter((e) => e.url === url && e.status === 200).at(-1)?.proof;
    if (!proof) throw new Error(`The app's call to ${url} went out without a DPoP proof.`);
    // The proof's `ath` names this token; a refresh in between would be caught by the API as well.
    const token = this.auth.peekAccessToken(this.api.resource) ?? (await this.stealToken());
    return {
      token,
      proof,
      steps: [
        `The app called GET ${pathOf(url)} and the API accepted it; captured its token and proof.`,
      ],
    };
  }

  /**
   * Sends GET /api/users with a proof of `key`, from a DPoP client of its own (@dpop-lab/protocol's,
   * on fetch: no interceptor), answering one `use_dpop_nonce` challenge the way any client can:
   * the API hands its nonce to whoever asks, so a nonce alone proves nothing but freshness.
   */
  private async withNonce(
    key: ProofKey,
    init: DpopRequestInit,
    steps: string[],
  ): Promise<AttackOutcome> {
    const sent = [...steps, 'Sent it to GET /api/users.'];
    try {
      const { response, answer, attempts } = await new DpopClient(key).fetch(this.usersUrl, init);
      if (attempts.at(-1)?.retry?.reason === 'use_dpop_nonce') {
        sent.push(
          'The API answered 401 use_dpop_nonce with a DPoP-Nonce; signed a new proof with it and sent it again.',
        );
      }
      await response.body?.cancel();
      return {
        status: answer.status,
        wwwAuthenticate: response.headers.get('WWW-Authenticate'),
        ...(answer.error ? { error: answer.error } : {}),
        ...(answer.description ? { description: answer.description } : {}),
        steps: sent,
      };
    } catch {
      return { status: 0, wwwAuthenticate: null, steps: sent }; // no answer: the API is down
    }
  }

  private async send(
    url: string,
    headers: Record<string, string>,
    steps: string[],
  ): Promise<AttackOutcome> {
    let response: HttpResponseBase;
    try {
      response = await firstValueFrom(
        this.thief.get(url, { headers: new HttpHeaders(headers), observe: 'response' }),
      );
    } catch (error) {
      if (!(error instanceof HttpErrorResponse)) throw error;
      response = error;
    }
    const { status, error, description } = readDpopAnswer(response);
    return {
      status,
      wwwAuthenticate: response.headers.get('WWW-Authenticate'),
      ...(error ? { error } : {}),
      ...(description ? { description } : {}),
      steps,
    };
  }
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}
