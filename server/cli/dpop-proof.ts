/**
 * Builds one DPoP proof JWT (RFC 9449 §4.2) for the command-line tools, and decodes one for
 * printing. Header `{ typ: 'dpop+jwt', alg: 'ES256', jwk }`; claims `jti`, `htm`, `htu`, `iat`,
 * and `ath` (with a token) and `nonce` (with a nonce).
 */
import { createHash, randomUUID } from 'node:crypto';

import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';

import type { CliKey } from './cli-key.ts';

export interface ProofRequest {
  /** The HTTP method; upper-cased. */
  htm: string;
  /** The request URL; query and fragment are dropped (RFC 9449 §4.2). */
  htu: string;
  /** The access token sent with the request: adds `ath`. */
  token?: string | undefined;
  /** The server's `DPoP-Nonce`. */
  nonce?: string | undefined;
  /** Seconds since the epoch; default now. */
  iat?: number | undefined;
}

/** `htu` for a URL: scheme, host, port and path; no query, no fragment. Throws on a non-http(s) URL. */
export function htuOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `"${url}" is not an absolute URL: give the full request URL, e.g. http://localhost:3001/api/apps.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`"${url}" is not an http(s) URL.`);
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** `ath`: base64url(SHA-256(access token)). */
export function athOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function createProof(key: CliKey, request: ProofRequest): Promise<string> {
  const htm = request.htm.trim().toUpperCase();
  if (!/^[A-Z]+$/.test(htm)) {
    throw new Error(`"${request.htm}" is not an HTTP method: use GET, POST, ...`);
  }
  const claims: Record<string, string> = { htm, htu: htuOf(request.htu) };
  if (request.token) claims['ath'] = athOf(request.token);
  if (request.nonce) claims['nonce'] = request.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk })
    .setJti(randomUUID())
    .setIssuedAt(request.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey);
}

/** The proof's header and claims as JSON text, for people (decoded, not verified). */
export function describeJwt(jwt: string): string {
  return JSON.stringify({ header: decodeProtectedHeader(jwt), claims: decodeJwt(jwt) }, null, 2);
}
