/**
 * The Bearer scheme (RFC 6750) is only for the walkthrough's bearer client: an unbound token is
 * accepted as Bearer only when it was issued to that client (`client_id`, RFC 9068 §2.2, or
 * `azp` or `cid`). That is the app's "plain bearer tokens" mode, which shows what DPoP prevents; every
 * other client must use DPoP.
 */
import type { AccessToken } from '../access-token.ts';
import { invalidToken } from '../errors.ts';

export function checkBearerClient(token: AccessToken, bearerClientId: string): void {
  if (token.clientId !== bearerClientId) {
    throw invalidToken(
      `This API accepts unbound Bearer tokens only from the ${bearerClientId} client: request ` +
        'the token with a DPoP proof at the token endpoint and send it as Authorization: DPoP ' +
        '<token> (RFC 9449 §5, §7.1).',
    );
  }
}
