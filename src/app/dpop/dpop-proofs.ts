import { inject, Injectable } from '@angular/core';
import { base64url, SignJWT } from 'jose';

import { DpopClock } from './dpop-clock';
import { DpopKeyStore } from './dpop-key-store';
import { DpopNonces } from './dpop-nonces';
import { htuOf } from './htu-of';

export interface DpopProofInput {
  /** The HTTP method of the request the proof is for. */
  method: string;
  /** The request URL; relative URLs resolve against `document.baseURI`. */
  url: string;
  /** The access token sent with the proof; adds the `ath` claim (RFC 9449 §4.2). */
  accessToken?: string;
  /** A server nonce; without one, the nonce last seen from the URL's origin is used (§8). */
  nonce?: string;
}

/**
 * Builds DPoP proof JWTs (RFC 9449 §4.2) signed with the stored key.
 *
 * Every proof is new (own `jti`, current `iat`): servers reject a replayed proof (§11.1), so a
 * retried request must get a fresh one rather than a cached string. `alg` is the key's (ES256
 * unless negotiated otherwise); `iat` is read from `DpopClock`, corrected for a measured skew.
 */
@Injectable({ providedIn: 'root' })
export class DpopProofs {
  private readonly keys = inject(DpopKeyStore);
  private readonly nonces = inject(DpopNonces);
  private readonly clock = inject(DpopClock);

  async create(input: DpopProofInput): Promise<string> {
    const [pair, jwk, alg] = await Promise.all([
      this.keys.keyPair(),
      this.keys.publicJwk(),
      this.keys.algorithm(),
    ]);
    const nonce = input.nonce ?? this.nonces.get(input.url);
    const claims: Record<string, string> = {
      htm: input.method.toUpperCase(),
      htu: htuOf(input.url),
    };
    if (input.accessToken !== undefined) {
      claims['ath'] = await accessTokenHash(input.accessToken);
    }
    if (nonce !== undefined) {
      claims['nonce'] = nonce;
    }
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'dpop+jwt', alg, jwk: { ...jwk } })
      .setJti(crypto.randomUUID())
      .setIssuedAt(Math.floor(this.clock.now(input.url) / 1000))
      .sign(pair.privateKey);
  }
}

/** `ath`: base64url of the SHA-256 of the ASCII access token (RFC 9449 §4.2). */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}
