/**
 * The access token has not expired: `exp` is after the server clock (RFC 7519 §4.1.4, RFC 9068
 * §4). Checked on every request, also when the verified token comes from the cache (a cached
 * token is never kept past `exp` either, ../access-token-cache.ts).
 */
import { invalidToken } from '../errors.ts';

export function checkTokenExpiry(expiresAt: number, nowMs: number): void {
  if (expiresAt * 1000 <= nowMs) {
    throw invalidToken(
      `The access token expired at ${new Date(expiresAt * 1000).toISOString()}: refresh it and retry.`,
    );
  }
}
