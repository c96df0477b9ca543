/**
 * The shapes of access token the API can admit (API_TOKEN_SHAPES), and how each one says what
 * the checks need. Whatever the shape, the API requires the issuer's signature (or, for an
 * opaque token, the issuer's introspection answer), `iss`, `aud`, `exp` and, for DPoP, `cnf.jkt`.
 *
 * | shape    | who issues it                     | header `typ` | scopes                | client   |
 * | -------- | --------------------------------- | ------------ | --------------------- | -------- |
 * | rfc9068  | the embedded server, Auth0's RFC 9068 profile, any RFC 9068 issuer | `at+jwt` | `scope` | `client_id` |
 * | okta     | Okta (custom authorization servers) | none       | `scp` (an array)      | `cid`    |
 * | keycloak | Keycloak                          | `JWT`        | `scope`               | `azp`    |
 * | auth0    | Auth0 (its default token profile) | `JWT`        | `scope`               | `azp`    |
 * | opaque   | WSO2 IS, the embedded server with AS_API_TOKEN_FORMAT=opaque | not a JWT: RFC 7662 introspection | `scope` | `client_id` |
 *
 * RFC 9068 §4 wants `typ: at+jwt` so that no other JWT of the issuer (an ID token, say) passes for
 * an access token. The other JWT shapes lack it, so admitting one relies on the audience check
 * alone to tell the API's access tokens from the issuer's other JWTs: admit them only for
 * providers that issue them. Keycloak and Auth0 tokens look alike (both `typ: JWT`); naming
 * either admits both. An audience may be a string or an array in every shape.
 */
import type { ApiTokenShape } from '../config.ts';

export type { ApiTokenShape as TokenShape } from '../config.ts';

/** What a shape looks like to the API, by the header `typ` of the JWT (normalised, lower case). */
const JWT_TYP: Record<Exclude<ApiTokenShape, 'opaque'>, string | undefined> = {
  rfc9068: 'at+jwt',
  okta: undefined,
  keycloak: 'jwt',
  auth0: 'jwt',
};

/** How a refusal names a shape. */
export const SHAPE_NAMES: Record<ApiTokenShape, string> = {
  rfc9068: 'an RFC 9068 JWT access token (typ at+jwt)',
  okta: 'a JWT access token without typ, as Okta issues them',
  keycloak: "a JWT access token with typ 'JWT', as Keycloak and Auth0 issue them",
  auth0: "a JWT access token with typ 'JWT', as Keycloak and Auth0 issue them",
  opaque: 'an opaque access token (not a JWT), checked by introspection',
};

/** RFC 7515 §4.1.9: a media type, case-insensitive, `application/` optional. */
export function normalizeTyp(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/** The JWT shapes whose header `typ` this is (several for `JWT`), in the table's order. */
export function jwtShapesFor(typ: unknown): ApiTokenShape[] {
  const normalized = normalizeTyp(typ);
  return (Object.keys(JWT_TYP) as (keyof typeof JWT_TYP)[]).filter(
    (shape) => JWT_TYP[shape] === normalized,
  );
}

/**
 * The scopes a token grants: `scope` (RFC 9068 §2.2.3, RFC 7662 §2.2: space-separated), and for
 * Okta's shape also `scp` (an array, or a string).
 */
export function scopesOf(claims: Record<string, unknown>, shape: ApiTokenShape): string[] {
  const scopes = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string') value.split(' ').forEach((scope) => scope && scopes.add(scope));
    else if (Array.isArray(value))
      value.forEach((scope) => typeof scope === 'string' && add(scope));
  };
  add(claims['scope']);
  if (shape === 'okta') add(claims['scp']);
  return [...scopes];
}

/** The client a token was issued to: `client_id` (RFC 9068 §2.2), `azp` (Keycloak, Auth0), `cid` (Okta). */
export function clientOf(claims: Record<string, unknown>): string | undefined {
  for (const name of ['client_id', 'azp', 'cid']) {
    if (typeof claims[name] === 'string') return claims[name];
  }
  return undefined;
}
