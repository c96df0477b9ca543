import { inject, Injectable, Injector } from '@angular/core';
import { Observable } from 'rxjs';

import { DpopAllowList, DpopResource } from './dpop-allow-list';
import { DpopEvents, DpopExchange } from './dpop-events';
import type { DpopKey } from './dpop-key';
import type { DpopKeyStore } from './dpop-runtime';
import { DpopKeyStatus } from './dpop-key-status';
import { DpopNonces } from './dpop-nonces';
// Loaded on first use: a signed-out visitor's first page needs none of it.
import { runtime } from './lazy-module';

/**
 * The DPoP core as sign-in code uses it: one key per sign-in, bound tokens, and what the page can
 * show about them. Requests need nothing from here: the interceptor signs them.
 *
 * ```ts
 * const dpopJkt = await dpop.prepare(metadata);       // fresh key → authorization request
 * const jkt = await dpop.verifyIssued(tokenResponse); // after the code exchange
 * if (!(await dpop.restore(session.jkt))) …           // after a reload: is the key still here?
 * await dpop.end();                                   // at sign-out
 * ```
 *
 * The key store behind it (and jose) loads with the first method that needs the key, so only
 * the signals, the allow list and the event stream cost anything at start-up.
 */
@Injectable({ providedIn: 'root' })
export class Dpop {
  private readonly status = inject(DpopKeyStatus);

  /** Where the key lives: `'indexeddb'`, `'memory'` (the browser refused to store it) or `'unknown'`. */
  readonly storage = this.status.storage.asReadonly();
  /** Why the key is memory-only, while `storage()` is `'memory'`: show it to the user. */
  readonly storageProblem = this.status.problem.asReadonly();
  /**
   * Every attempt the interceptor sends, with the proof and the answer (never the token); a new
   * subscriber first gets the latest 60, so an inspector opened later sees what came before.
   */
  readonly exchanges: Observable<DpopExchange> = inject(DpopEvents).exchanges;

  private readonly injector = inject(Injector);
  private readonly allowList = inject(DpopAllowList);
  private readonly nonces = inject(DpopNonces);

  /**
   * Before sign-in: negotiates the proof algorithm with the authorization server
   * (`dpop_signing_alg_values_supported`, RFC 9449 §5.1) and makes a fresh key, so tokens of an
   * earlier session stay bound to the old one. Resolves to the thumbprint for the authorization
   * request's `dpop_jkt` (§10), or undefined when the key lives in memory only and so cannot
   * survive the redirect (PKCE still binds the code to this browser).
   */
  async prepare(server: {
    token_endpoint: string;
    dpop_signing_alg_values_supported?: readonly string[];
  }): Promise<string | undefined> {
    const keys = await this.keys();
    // Left out, the metadata says nothing about algorithms (§5.1): the API's `algs` may still.
    if (server.dpop_signing_alg_values_supported) {
      keys.algorithms.accept(
        server.token_endpoint,
        server.dpop_signing_alg_values_supported,
        'the authorization server (dpop_signing_alg_values_supported)',
      );
    }
    const key = await keys.replace();
    return this.storage() === 'memory' ? undefined : key.thumbprint;
  }

  /**
   * After a token response: refuses tokens that are not bound to this key — a `token_type` other
   * than `DPoP` (§5), a JWT access token whose `cnf.jkt` is not this key's thumbprint (§6.1) —
   * with a `DpopError`. Resolves to the thumbprint the tokens are bound to.
   */
  async verifyIssued(response: { access_token: string; token_type?: string }): Promise<string> {
    const { checkTokenBinding, checkTokenType } = await runtime();
    checkTokenType(response.token_type);
    const { thumbprint } = await (await this.keys()).key();
    await checkTokenBinding(response.access_token, thumbprint);
    return thumbprint;
  }

  /**
   * Whether the key stored now is the one with `thumbprint` (read again: another tab may have
   * replaced it); false when it is gone or replaced. Without a thumbprint (no session to
   * restore) it only checks that the browser keeps keys, so `storage()` is known early.
   */
  async restore(thumbprint?: string): Promise<boolean> {
    const key = await (await this.keys()).stored();
    return thumbprint !== undefined && key?.thumbprint === thumbprint;
  }

  /** At sign-out: deletes the key (tokens bound to it become useless) and forgets the nonces. */
  async end(): Promise<void> {
    this.nonces.clear();
    await (await this.keys()).delete();
  }

  /** The key, for display and for signing proofs by hand (`signDpopProof`). */
  async key(): Promise<DpopKey> {
    return (await this.keys()).key();
  }

  /** Puts a resource learned at runtime on the allow list (e.g. the userinfo endpoint). */
  allow(resource: DpopResource): void {
    this.allowList.add(resource);
  }

  /** The allow-listed resource a request URL belongs to, or null: what gets a token and a proof. */
  resourceFor(url: string): DpopResource | null {
    return this.allowList.match(url);
  }

  private async keys(): Promise<DpopKeyStore> {
    return this.injector.get((await runtime()).DpopKeyStore);
  }
}
