/**
 * The access token is of a shape this API admits (API_TOKEN_SHAPES, ../token-shapes.ts): a JWT
 * whose header `typ` matches an admitted JWT shape, or, when `opaque` is admitted, a token that
 * is not a JWT. A token of another shape is invalid_token naming the shape it has, the shapes
 * admitted, and the setting that would admit it.
 *
 * An opaque token where a JWT is expected is nearly always a token for another resource: a client
 * that sends `resource` on the authorization request but not on the token request (RFC 8707
 * §2.2 allows that, oidc-client-ts does it) gets the issuer's token for its userinfo endpoint,
 * opaque at oidc-provider. So the refusal names the audience this API needs and says the token
 * request must carry `resource=<it>` (issue 20).
 *
 * Only the protected header is read here (no claims, no signature): verifyAccessToken then
 * checks the signature over these same bytes, and the expected `typ` with it.
 */
import { decodeProtectedHeader } from 'jose';

import { invalidToken, quoteValue } from '../errors.ts';
import { jwtShapesFor, SHAPE_NAMES, type TokenShape } from '../token-shapes.ts';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

function describeAdmitted(admitted: readonly TokenShape[]): string {
  return admitted.map((shape) => `${shape} (${SHAPE_NAMES[shape]})`).join(', ');
}

export function readTokenShape(
  token: string,
  admitted: readonly TokenShape[],
  /** The API's audience (API_AUDIENCE), its resource indicator. */
  audience: string,
): TokenShape {
  let header: Record<string, unknown> | undefined;
  if (COMPACT_JWS.test(token)) {
    try {
      header = decodeProtectedHeader(token);
    } catch {
      header = undefined;
    }
  }
  if (header === undefined) {
    if (admitted.includes('opaque')) return 'opaque';
    throw invalidToken(
      `The access token is not a JWT, so it was not issued for this API (audience ${audience}; ` +
        `it admits ${admitted.join(', ')}): the token request itself, the code exchange or the ` +
        `refresh, must carry resource=${audience} (RFC 8707 section 2.2), else the issuer may ` +
        'give a token for its userinfo endpoint. Opaque API tokens: API_TOKEN_SHAPES=opaque.',
    );
  }
  const shapes = jwtShapesFor(header['typ']);
  const match = shapes.find((shape) => admitted.includes(shape));
  if (match) return match;
  const got =
    shapes.length > 0
      ? SHAPE_NAMES[shapes[0]!]
      : `a JWT with typ ${quoteValue(header['typ'])}, which no access-token shape has`;
  const settings = shapes.map((shape) => `API_TOKEN_SHAPES=${[...admitted, shape].join(',')}`);
  const hint = settings.length > 0 ? ` (admit it with ${settings.join(' or ')})` : '';
  throw invalidToken(
    `The access token is ${got}; this API admits ${describeAdmitted(admitted)}${hint}: send the ` +
      'access token the authorization server issued for this API.',
  );
}
