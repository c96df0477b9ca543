/**
 * The access token is bound to the key that signed the proof: its `cnf.jkt` equals the RFC 7638
 * SHA-256 thumbprint of the proof's `jwk` (RFC 9449 §4.3 item 12, §6.1; for an opaque token the
 * `cnf.jkt` of the introspection answer, §6.2). This is what makes a stolen token useless without
 * the private key. A token with no `cnf.jkt` is not DPoP-bound and is refused under the DPoP
 * scheme too (RFC 9449 §7.1, "Invalid DPoP key binding").
 */
import { invalidToken } from '../errors.ts';

export function checkTokenBinding(cnf: unknown, proofThumbprint: string): void {
  const jkt =
    typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  if (typeof jkt !== 'string') {
    throw invalidToken(
      'The access token is not DPoP-bound (no cnf.jkt): request it with a DPoP proof at the token endpoint (RFC 9449 §5).',
    );
  }
  if (jkt !== proofThumbprint) {
    throw invalidToken(
      'The access token is bound to a different key (cnf.jkt) than the one that signed the DPoP proof: sign proofs with the key the token was issued to.',
    );
  }
}
