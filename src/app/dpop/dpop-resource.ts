/**
 * A protected resource the interceptor may send DPoP-bound tokens to.
 *
 * `url` is an absolute origin plus path prefix (`http://localhost:3001/api/`). `resource` is an
 * opaque key for the token source, e.g. the RFC 8707 resource indicator the token was issued for.
 */
export interface DpopResource {
  url: string;
  resource?: string;
}
