/**
 * Test fixture: builds DPoP proofs (RFC 9449 §4.2), well-formed by default and bendable into any
 * hostile shape: every header member and claim can be replaced or removed (`undefined` removes),
 * and raw JWS strings can be assembled by hand for things a JOSE library refuses to produce
 * (`alg: none`).
 */
import { createHash, randomUUID } from 'node:crypto';

import {
  calculateJwkThumbprint,
  CompactSign,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JWK,
} from 'jose';

export interface ProofKey {
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** RFC 7638 thumbprint: the `cnf.jkt` of tokens bound to this key. */
  jkt: string;
}

export async function createProofKey(alg = 'ES256'): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk) };
}

/** The private JWK of a key (for the "private key in the header" attack). */
export async function exportPrivateJwk(key: ProofKey): Promise<JWK> {
  return exportJWK(key.privateKey);
}

export function ath(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

type Members = Record<string, unknown>;

export interface ProofOptions {
  htm?: string;
  htu: string;
  accessToken: string;
  nonce?: string;
  /** Seconds; default now. */
  iat?: number;
  /** Header members to replace; `undefined` removes one. */
  header?: Members;
  /** Claims to replace; `undefined` removes one. */
  claims?: Members;
  /** Key to sign with (default the key whose jwk is in the header). */
  signWith?: CryptoKey | Uint8Array;
}

function merge(base: Members, changes: Members | undefined): Members {
  const merged: Members = { ...base, ...changes };
  for (const [name, value] of Object.entries(changes ?? {}))
    if (value === undefined) delete merged[name];
  return merged;
}

export async function signProof(key: ProofKey, options: ProofOptions): Promise<string> {
  const header = merge({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk }, options.header);
  const claims = merge(
    {
      jti: randomUUID(),
      htm: options.htm ?? 'GET',
      htu: options.htu,
      iat: options.iat ?? Math.floor(Date.now() / 1000),
      ath: ath(options.accessToken),
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    },
    options.claims,
  );
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header as never)
    .sign(options.signWith ?? key.privateKey);
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS assembled by hand: `base64url(header).base64url(payload).signature`. */
export function rawJws(header: unknown, payload: unknown, signature = ''): string {
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

/** The header and payload of a compact JWS, decoded (for building variants of a proof). */
export function decodeJws(jws: string): { header: Members; payload: Members; signature: string } {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Members;
  return { header: decode(header), payload: decode(payload), signature };
}

/** Replaces payload members of a signed JWS and keeps the old signature (tampering). */
export function tamperPayload(jws: string, changes: Members): string {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Members;
  return `${header}.${encode({ ...claims, ...changes })}.${signature}`;
}
