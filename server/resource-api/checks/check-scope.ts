/**
 * The token's scopes include the one this resource needs (read per shape: `scope`, or Okta's
 * `scp`, ../token-shapes.ts). A valid token with too narrow a scope is 403 insufficient_scope with
 * the needed scope in the challenge (RFC 6750 §3, §3.1); asking again with the same token cannot
 * help, a new grant can.
 */
import { insufficientScope, quoteValue } from '../errors.ts';

export function checkScope(scopes: readonly string[], required: string): void {
  if (!scopes.includes(required)) {
    const has =
      scopes.length > 0 ? `has scope ${quoteValue(scopes.join(' '), 120)}` : 'has no scope';
    throw insufficientScope(
      `The access token ${has}; this resource needs '${required}': include ${required} in the scope of the authorization request.`,
      required,
    );
  }
}
