/**
 * The access token is of a shape this API admits (API_TOKEN_SHAPES, ../token-shapes.ts): a JWT
 * whose header `typ` matches an admitted JWT shape, or, when `opaque` is admitted, a token that
 * is not a JWT. A token of another shape is invalid_token naming the shape it has, the shapes
 * admitted, and the setting that would admit it.
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

export function readTokenShape(token: string, admitted: readonly TokenShape[]): TokenShape {
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
      `The access token is not a JWT, and this API admits ${describeAdmitted(admitted)}: send the ` +
        'access token the authorization server issued for this API (an opaque token is admitted ' +
        'with API_TOKEN_SHAPES=opaque).',
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
