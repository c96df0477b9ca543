/**
 * A small DPoP client (RFC 9449) for server tests: a key pair, proofs, and `fetchWithDpop`,
 * which does the nonce handshake the way the SPA does.
 *
 *   const client = await DpopClient.create();              // fresh ES256 key pair
 *   client.thumbprint                                      // RFC 7638 thumbprint (`dpop_jkt`, `cnf.jkt`)
 *   const proof = await client.proof('GET', url, { accessToken, nonce });
 *
 *   const { response, challenge } = await client.fetchWithDpop(url, {
 *     method: 'POST', body: new URLSearchParams({...}),    // any RequestInit
 *     accessToken,                                         // → `Authorization: DPoP <token>` and `ath`
 *   });
 *
 * `fetchWithDpop` sends a proof with the last nonce this client saw from that origin (none at
 * first). If the server answers with a nonce challenge — `400 {"error":"use_dpop_nonce"}`
 * from a token endpoint (§8) or `401 WWW-Authenticate: DPoP error="use_dpop_nonce"` from a
 * resource server (§9) — it retries once with a fresh proof carrying the `DPoP-Nonce` it got.
 * `challenge` describes that first answer (undefined if there was none), so tests can assert
 * on the handshake. Pass `nonce: null` to send no nonce even if one is cached, or a string to
 * send that one; `retry: false` disables the retry.
 */
import { createHash, randomUUID } from 'node:crypto';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface ProofOptions {
  /** Adds `ath` = base64url(SHA-256(token)) (RFC 9449 §4.2). */
  accessToken?: string;
  nonce?: string;
  /** Seconds since the epoch; default now. */
  iat?: number;
  /** Default: a random UUID. */
  jti?: string;
}

export interface DpopFetchInit extends RequestInit {
  accessToken?: string;
  /** `undefined`: the cached nonce for the origin; `null`: none; a string: that nonce. */
  nonce?: string | null;
  /** Retry once after a nonce challenge (default true). */
  retry?: boolean;
}

export interface NonceChallenge {
  /** 400 (authorization server) or 401 (resource server). */
  status: number;
  /** The `DPoP-Nonce` header of the challenge. */
  nonce: string;
  /** The `WWW-Authenticate` header, if any. */
  wwwAuthenticate: string | null;
  /** The JSON body, if any. */
  body: unknown;
}

export interface DpopFetchResult {
  response: Response;
  challenge?: NonceChallenge;
}

/** `htu`: the request URL without query and fragment (RFC 9449 §4.2). */
export function htuOf(url: string | URL): string {
  const htu = new URL(url);
  htu.search = '';
  htu.hash = '';
  return htu.href;
}

/** base64url(SHA-256(access token)): the `ath` claim. */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

async function readChallenge(response: Response): Promise<NonceChallenge | undefined> {
  const nonce = response.headers.get('dpop-nonce');
  if (!nonce || (response.status !== 400 && response.status !== 401)) return undefined;
  const wwwAuthenticate = response.headers.get('www-authenticate');
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const fromBody = (body as { error?: unknown } | undefined)?.error === 'use_dpop_nonce';
  const fromHeader = /error="use_dpop_nonce"/.test(wwwAuthenticate ?? '');
  return fromBody || fromHeader
    ? { status: response.status, nonce, wwwAuthenticate, body }
    : undefined;
}

export class DpopClient {
  /** The last `DPoP-Nonce` seen per origin. */
  readonly nonces = new Map<string, string>();

  private constructor(
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly thumbprint: string,
  ) {}

  /** A client with a fresh, non-extractable ES256 key pair. */
  static async create(): Promise<DpopClient> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { kty, crv, x, y } = await exportJWK(publicKey);
    const publicJwk: JWK = { kty, crv, x, y };
    return new DpopClient(privateKey, publicJwk, await calculateJwkThumbprint(publicJwk));
  }

  /** A DPoP proof JWT for one request (RFC 9449 §4.2). */
  proof(htm: string, url: string | URL, options: ProofOptions = {}): Promise<string> {
    return new SignJWT({
      htm,
      htu: htuOf(url),
      ...(options.accessToken ? { ath: athOf(options.accessToken) } : {}),
      ...(options.nonce ? { nonce: options.nonce } : {}),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: this.publicJwk })
      .setIssuedAt(options.iat ?? Math.floor(Date.now() / 1000))
      .setJti(options.jti ?? randomUUID())
      .sign(this.privateKey);
  }

  /** fetch() with a fresh proof, `Authorization: DPoP`, and one retry after a nonce challenge. */
  async fetchWithDpop(url: string | URL, init: DpopFetchInit = {}): Promise<DpopFetchResult> {
    const { accessToken, nonce, retry = true, ...requestInit } = init;
    const origin = new URL(url).origin;
    const method = (requestInit.method ?? 'GET').toUpperCase();

    const send = async (proofNonce: string | undefined) => {
      const headers = new Headers(requestInit.headers);
      headers.set('DPoP', await this.proof(method, url, { accessToken, nonce: proofNonce }));
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
