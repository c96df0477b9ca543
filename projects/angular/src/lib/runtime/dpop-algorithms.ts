import { inject, Injectable } from '@angular/core';

import { originOf } from '@dpop-lab/protocol';

import { DPOP_ALGORITHMS, DpopAlgorithm } from '../dpop-config';
import { DpopError } from '../dpop-error';

/** What a server said it accepts for DPoP proofs, and where it said so. */
interface ServerAlgorithms {
  origin: string;
  /** As the server listed them, e.g. `['ES256', 'RS256']`. */
  algorithms: readonly string[];
  /** Who said so, for messages: "the authorization server (dpop_signing_alg_values_supported)". */
  source: string;
}

interface AlgorithmSpec {
  generate: EcKeyGenParams | RsaHashedKeyGenParams | Algorithm;
  /** What `crypto.subtle.sign` takes for this JWS algorithm (RFC 7518 §3.3-3.5). */
  sign: EcdsaParams | RsaPssParams | Algorithm;
  matches(key: KeyAlgorithm): boolean;
}

const RSA_2048 = {
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

function rsaHash(key: KeyAlgorithm): string | undefined {
  return (key as RsaHashedKeyAlgorithm).hash?.name;
}

// The WebCrypto key behind each JWS algorithm (RFC 7518 §3, RFC 8037 §3.1 for EdDSA/Ed25519).
const SPECS: Record<DpopAlgorithm, AlgorithmSpec> = {
  ES256: {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
    matches: (key) => key.name === 'ECDSA' && (key as EcKeyAlgorithm).namedCurve === 'P-256',
  },
  EdDSA: {
    generate: { name: 'Ed25519' },
    sign: { name: 'Ed25519' },
    matches: (key) => key.name === 'Ed25519',
  },
  PS256: {
    generate: { name: 'RSA-PSS', ...RSA_2048 },
    // RFC 7518 §3.5: the salt is as long as the hash.
    sign: { name: 'RSA-PSS', saltLength: 32 },
    matches: (key) => key.name === 'RSA-PSS' && rsaHash(key) === 'SHA-256',
  },
  RS256: {
    generate: { name: 'RSASSA-PKCS1-v1_5', ...RSA_2048 },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
    matches: (key) => key.name === 'RSASSA-PKCS1-v1_5' && rsaHash(key) === 'SHA-256',
  },
};

/** The WebCrypto parameters for signing with `algorithm`. */
export function signParamsOf(algorithm: DpopAlgorithm): AlgorithmSpec['sign'] {
  return SPECS[algorithm].sign;
}

/** The DPoP algorithm a (stored) key signs with, or null for a key this code cannot use. */
export function algorithmOfKey(key: CryptoKey): DpopAlgorithm | null {
  for (const [name, spec] of Object.entries(SPECS) as [DpopAlgorithm, AlgorithmSpec][]) {
    if (spec.matches(key.algorithm)) return name;
  }
  return null;
}

/**
 * Algorithm negotiation for the DPoP key (RFC 9449 §4.2 `alg`, §5.1
 * `dpop_signing_alg_values_supported`, §7.1 `WWW-Authenticate: DPoP algs="…"`).
 *
 * One key signs every proof of a session — the tokens are bound to its thumbprint — so its
 * algorithm must suit every server the app talks to: the first algorithm of the client's
 * preference (`withAlgorithms()`, ES256 first) that every server heard from so far accepts and
 * this browser's WebCrypto can generate. Servers are heard from through discovery
 * (`Dpop.prepare()`) and through the `algs` of a resource server's DPoP challenge (the
 * interceptor's retry rules).
 */
@Injectable({ providedIn: 'root' })
export class DpopAlgorithms {
  private readonly preferred = inject(DPOP_ALGORITHMS);
  private servers: readonly ServerAlgorithms[] = [];

  /** Records the algorithms the server at `url` accepts (replacing what its origin said before). */
  accept(url: string, algorithms: readonly string[], source: string): void {
    const origin = originOf(url);
    if (origin === null) return;
    const entry: ServerAlgorithms = { origin, algorithms: [...algorithms], source };
    this.servers = [...this.servers.filter((s) => s.origin !== origin), entry];
  }

  /** The preferred algorithms every known server accepts, most preferred first. */
  candidates(): DpopAlgorithm[] {
    return this.preferred.filter((alg) =>
      this.servers.every((server) => server.algorithms.includes(alg)),
    );
  }

  /**
   * A new key pair (private key non-extractable) for the first candidate this browser can make.
   * Throws a `DpopError` `no_common_algorithm` that names every server's list when none is left.
   */
  async generateKeyPair(): Promise<CryptoKeyPair> {
    const refused: string[] = [];
    for (const algorithm of this.candidates()) {
      try {
        return (await crypto.subtle.generateKey(SPECS[algorithm].generate, false, [
          'sign',
          'verify',
        ])) as CryptoKeyPair;
      } catch (error) {
        // NotSupportedError: this browser's WebCrypto has no such key (e.g. Ed25519 before
        // Chrome 137 / Safari 17); try the next algorithm.
        refused.push(`${algorithm} (${error instanceof Error ? error.name : String(error)})`);
      }
    }
    throw this.noCommonAlgorithm(refused);
  }

  private noCommonAlgorithm(refusedByBrowser: string[]): DpopError {
    const servers = this.servers
      .map((s) => `${s.source} at ${s.origin} accepts ${s.algorithms.join(', ') || 'none'}`)
      .join('; ');
    const browser = refusedByBrowser.length
      ? `; this browser cannot make keys for ${refusedByBrowser.join(', ')}`
      : '';
    return new DpopError(
      'no_common_algorithm',
      `No DPoP proof algorithm in common: ${servers || 'no server has been heard from'}; ` +
        `this app signs with ${this.preferred.join(', ')}${browser}. ` +
        'Let the server accept ES256 (the algorithm DPoP servers support most widely), or add an ' +
        'algorithm both sides support to withAlgorithms([...]).',
    );
  }
}
