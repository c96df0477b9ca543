import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * Marks a request that needs a DPoP proof but no access token, such as the token endpoint
 * (code exchange, refresh; RFC 9449 §5). Such requests are not on the allow list, because no
 * access token may ever be sent there.
 */
export const DPOP_PROOF_ONLY = new HttpContextToken<boolean>(() => false);

/** Returns `context` (or a new one) flagged for a DPoP proof without an access token. */
export function withDpopProof(context: HttpContext = new HttpContext()): HttpContext {
  return context.set(DPOP_PROOF_ONLY, true);
}
