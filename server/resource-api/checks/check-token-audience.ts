/**
 * The access token is meant for this API: its `aud` (a string or an array) includes the API's
 * audience, API_AUDIENCE, which is its resource indicator (RFC 8707, RFC 9068 §4; for an opaque
 * token the `aud` of the introspection answer, RFC 7662 §2.2). Checked on every request, cached
 * token or not. A token for another API of the same issuer is refused, whatever else it carries;
 * the refusal names the audience needed and the `resource` the token request must carry (a
 * client that sends it only on the authorization request gets another audience, issue 20).
 */
import { invalidToken } from '../errors.ts';

export function checkTokenAudience(audience: readonly string[], expected: string): void {
  if (!audience.includes(expected)) {
    const has = audience.length > 0 ? `is for ${audience.join(', ')}` : 'names no audience';
    throw invalidToken(
      `The access token ${has}, not this API (aud must include ${expected}): the token request ` +
        `itself, the code exchange or the refresh, must carry resource=${expected} (RFC 8707 ` +
        "section 2.2), or the provider must give this API's tokens that audience.",
    );
  }
}
