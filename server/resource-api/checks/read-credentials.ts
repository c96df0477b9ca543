/**
 * The request carries exactly one credential, in a scheme this API knows: DPoP (RFC 9449 §7.1)
 * or Bearer (RFC 6750 §2.1, for the walkthrough's bearer client only).
 *
 * RFC 6750 §3.1: a request without any authentication information, or with an unsupported
 * method (e.g. `Basic`), gets a bare challenge with no error code, so a client that did not know
 * authentication was needed is not told it made an error. A repeated or malformed Authorization
 * header is a malformed request: invalid_request, 400.
 */
import { invalidRequest, noCredentials, quoteValue } from '../errors.ts';

export type AuthorizationScheme = 'DPoP' | 'Bearer';

export interface PresentedCredentials {
  scheme: AuthorizationScheme;
  token: string;
}

// RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ].
const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

const HOW_TO_AUTHENTICATE =
  'send Authorization: DPoP <access token> with a DPoP header carrying a proof (RFC 9449 §7.1)';

export function readCredentials(
  authorization: readonly string[] | undefined,
): PresentedCredentials {
  const values = (authorization ?? []).filter((value) => value.trim() !== '');
  if (values.length === 0) {
    throw noCredentials(`This API needs a DPoP-bound access token: ${HOW_TO_AUTHENTICATE}.`);
  }
  if (values.length > 1) {
    throw invalidRequest(
      `The request has ${values.length} Authorization headers: send exactly one.`,
    );
  }

  const match = CREDENTIALS.exec(values[0]!.trim());
  const scheme = match?.[1]?.toLowerCase();
  if (!match || (scheme !== 'dpop' && scheme !== 'bearer')) {
    const name = match?.[1] ?? 'the Authorization header';
    throw noCredentials(
      `The ${quoteValue(name, 20)} scheme is not supported here: ${HOW_TO_AUTHENTICATE}.`,
    );
  }

  const token = match[2]?.trim() ?? '';
  if (!TOKEN68.test(token)) {
    throw invalidRequest(
      `Authorization: ${match[1]} must be followed by exactly one access token (token68 syntax, RFC 9110 §11.2).`,
    );
  }
  return { scheme: scheme === 'dpop' ? 'DPoP' : 'Bearer', token };
}
