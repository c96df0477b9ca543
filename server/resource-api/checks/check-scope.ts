/**
 * The token's scope includes the one this resource needs. A valid token with too
 * narrow a scope is 403 insufficient_scope with the needed scope in the challenge
 * (RFC 6750 §3, §3.1); asking again with the same token cannot help, a new grant can.
 */
import { insufficientScope, quoteValue } from '../errors.ts';

export function checkScope(scope: unknown, required: string): void {
  const granted = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  if (!granted.includes(required)) {
    const has =
      granted.length > 0 ? `has scope ${quoteValue(granted.join(' '), 120)}` : 'has no scope';
    throw insufficientScope(
      `The access token ${has}; this resource needs '${required}': include ${required} in the scope of the authorization request.`,
      required,
    );
  }
}
