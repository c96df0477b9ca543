/**
 * Test fixture: JWS strings that no JOSE library would make, for the refusals of the API's checks:
 * one assembled by hand from any header and payload (not even JSON objects), and a signed one
 * whose payload was changed after signing. Proofs with a fault go through @dpop-lab/protocol's
 * `signProof` faults instead.
 */
import { base64url, decodeJwt } from 'jose';

/** `base64url(header).base64url(payload).signature`. */
export function rawJws(header: unknown, payload: unknown, signature = ''): string {
  return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.${signature}`;
}

/** The JWS with these payload members changed and its old signature kept. */
export function tamperPayload(jws: string, changes: Record<string, unknown>): string {
  const [header = '', , signature = ''] = jws.split('.');
  const payload = base64url.encode(JSON.stringify({ ...decodeJwt(jws), ...changes }));
  return `${header}.${payload}.${signature}`;
}
