import { inject, Injectable, Injector } from '@angular/core';

import { DpopAllowList, DpopResource } from './dpop-allow-list';
import { DpopKeyStatus } from './dpop-key-status';
import { loadRuntime } from './lazy-runtime';
import { DpopServerMetadata, DpopTokenEndpoints } from './token-endpoints';

/**
 * The DPoP core as sign-in code uses it: one key per sign-in, the authorization server's
 * endpoints, and where the key lives. Requests need nothing from here: the interceptor signs them.
 *
 * ```ts
 * dpop.useAuthorizationServer(metadata);             // at start-up, once discovery is read
 * const dpopJkt = await dpop.prepare(metadata);       // fresh key → authorization request
 * const jkt = await dpop.verifyIssued(tokenResponse); // the tokens are bound to this key
 * if (!(await dpop.restore(session.jkt))) …           // after a reload: is the key still here?
 * await dpop.end();                                   // at sign-out
 * ```
 *
 * The key store behind it (and jose) loads with the first method that needs the key, so only
 * the signals and the lists of endpoints cost anything at start-up. The private key never leaves
 * the core: nothing here returns it.
 */
@Injectable({ providedIn: 'root' })
export class Dpop {
  private readonly status = inject(DpopKeyStatus);

  /** Where the key lives: `'indexeddb'`, `'memory'` (the browser refused to store it) or `'unknown'`. */
  readonly storage = this.status.storage.asReadonly();
  /** Why the key is memory-only, while `storage()` is `'memory'`: show it to the user. */
  readonly storageProblem = this.status.problem.asReadonly();

  private readonly injector = inject(Injector);
  private readonly allowList = inject(DpopAllowList);
  private readonly endpoints = inject(DpopTokenEndpoints);

  /**
   * Registers the authorization server's token, revocation and PAR endpoints: POSTs to them get a
   * DPoP proof (RFC 9449 §5, §10.1), and a token response not bound to this key is refused.
   * Call it once discovery is read, before the first token request (also after a reload).
   */
  useAuthorizationServer(metadata: DpopServerMetadata): void {
    this.endpoints.register(metadata);
  }

  /**
   * Before sign-in: registers the server (`useAuthorizationServer`), negotiates the proof algorithm
   * with it (`dpop_signing_alg_values_supported`, §5.1) and makes a fresh key, so tokens of an
   * earlier session stay bound to the old one. Resolves to the thumbprint for the authorization
   * request's `dpop_jkt` (§10), or undefined when the key lives in memory only and so cannot
   * survive the redirect (PKCE still binds the code to this browser).
   */
  async prepare(metadata: DpopServerMetadata): Promise<string | undefined> {
    this.useAuthorizationServer(metadata);
    const { DpopAlgorithms, DpopKeyStore } = await loadRuntime();
    // Left out, the metadata says nothing about algorithms (§5.1): the API's `algs` may still.
    if (metadata.dpop_signing_alg_values_supported) {
      this.injector
        .get(DpopAlgorithms)
        .accept(
          metadata.token_endpoint,
          metadata.dpop_signing_alg_values_supported,
          'the authorization server (dpop_signing_alg_values_supported)',
        );
    }
    const key = await this.injector.get(DpopKeyStore).replace();
    return this.storage() === 'memory' ? undefined : key.thumbprint;
  }

  /**
   * After a token response: refuses tokens that are not bound to this key — a `token_type` other
   * than `DPoP` (§5), a JWT access token whose `cnf.jkt` is not this key's thumbprint (§6.1) —
   * with a `DpopError`. Resolves to the thumbprint the tokens are bound to. (The interceptor
   * already checks the answers of a registered token endpoint; this is for code that needs the
   * thumbprint, or that sends token requests some other way.)
   */
  async verifyIssued(response: { access_token: string; token_type?: string }): Promise<string> {
    const { DpopKeyStore, checkIssued } = await loadRuntime();
    const { thumbprint } = await this.injector.get(DpopKeyStore).key();
    checkIssued(response, thumbprint);
    return thumbprint;
  }

  /**
   * Whether the key stored now is the one with `thumbprint` (read again: another tab may have
   * replaced it); false when it is gone or replaced. Without a thumbprint (no session to
   * restore) it only checks that the browser keeps keys, so `storage()` is known early.
   */
  async restore(thumbprint?: string): Promise<boolean> {
    const key = await this.injector.get((await loadRuntime()).DpopKeyStore).stored();
    return thumbprint !== undefined && key?.thumbprint === thumbprint;
  }

  /** At sign-out: deletes the key (tokens bound to it become useless) and forgets the nonces. */
  async end(): Promise<void> {
    const { DpopKeyStore, DpopNonces } = await loadRuntime();
    this.injector.get(DpopNonces).clear();
    await this.injector.get(DpopKeyStore).delete();
  }

  /** Puts a resource learned at runtime on the allow list (e.g. the userinfo endpoint). */
  allow(resource: DpopResource): void {
    this.allowList.add(resource);
  }
}
