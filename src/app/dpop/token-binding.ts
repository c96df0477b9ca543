import type { JWTPayload } from 'jose';

// Through the public API (see dpop-runtime.ts for why it matters).
import { DpopError } from './index';
import { jose } from './jose';

/**
 * RFC 9449 §5: DPoP was asked for, so a `token_type` other than `DPoP` (compared
 * case-insensitively, RFC 6749 §7.1) means the server ignored the proof and issued bearer
 * tokens, which anyone holding them could replay.
 */
export function checkTokenType(tokenType: unknown): void {
  if (typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop') return;
  throw new DpopError(
    'bearer_token_issued',
    `The server issued ${typeof tokenType === 'string' ? tokenType : 'untyped'} tokens instead ` +
      'of DPoP-bound ones, so the app refused them. Enable DPoP for this client on the ' +
      'authorization server (e.g. "DPoP-bound access tokens" / dpop_bound_access_tokens).',
  );
}

/**
 * Checks that an access token the client just received is bound to its DPoP key: a JWT access
 * token must carry `cnf.jkt` equal to the key's RFC 7638 thumbprint (RFC 9449 §6.1). An opaque
 * token (or an encrypted one) passes: only its server can tell what it is bound to (§6.2).
 *
 * A token without `cnf` is a bearer token in disguise, usable by anyone who copies it.
 */
export async function checkTokenBinding(accessToken: string, thumbprint: string): Promise<void> {
  const { decodeJwt } = await jose();
  let claims: JWTPayload;
  try {
    claims = decodeJwt(accessToken);
  } catch {
    return; // not a signed JWT: opaque to the client
  }
  const cnf = claims['cnf'];
  const jkt =
    typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  if (jkt === thumbprint) {
    return;
  }
  throw new DpopError(
    'token_not_bound',
    typeof jkt === 'string'
      ? `The access token is bound to another key (cnf.jkt ${jkt}), not to this browser's DPoP ` +
          `key (${thumbprint}), so the app refused it. Sign in again.`
      : "The access token is a JWT without cnf.jkt: it is not bound to this browser's DPoP key, " +
          'so anyone holding it could use it. The app refused it: make the authorization server ' +
          'issue DPoP-bound tokens to this client.',
  );
}
