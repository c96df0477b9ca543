/**
 * The Bearer scheme is admitted at all: only for the walkthrough's plain-bearer client, and only
 * while that client's name means something, at the embedded issuer (API_BEARER, see
 * apiBearerClientOf in ../../config.ts). With another issuer any client may be called
 * `dpop-lab-bearer`, so its unbound tokens would pass (issue 19); there the API is DPoP-only.
 *
 * Checked before the token is read, so a Bearer request costs no verification and no
 * introspection. Bearer is then an unsupported authentication method: RFC 6750 §3.1 answers that
 * with a bare challenge (no error code); the body says what to send instead.
 */
import { noCredentials } from '../errors.ts';

export function checkBearerAdmitted(bearerClientId: string | undefined): string {
  if (bearerClientId === undefined) {
    throw noCredentials(
      'This API accepts DPoP-bound access tokens only, not the Bearer scheme: request the token ' +
        'with a DPoP proof at the token endpoint and send Authorization: DPoP <token> with a DPoP ' +
        'header carrying a proof (RFC 9449 §5, §7.1).',
    );
  }
  return bearerClientId;
}
