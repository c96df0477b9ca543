import { inject, Injectable } from '@angular/core';

import { DPOP_ALLOW_LIST } from './dpop-config';
import { DpopError } from './dpop-error';
import { parseUrl } from './request-urls';

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

interface AllowListEntry {
  origin: string;
  pathPrefix: string;
  resource: DpopResource;
}

/**
 * The resources that may receive a DPoP-bound token: seeded from `withAllowList()`, extended at
 * runtime through `Dpop.allow()` (e.g. the OIDC userinfo endpoint, once discovery names it).
 *
 * Matching compares the parsed origin exactly and the path by whole segments, never with
 * `includes`/`startsWith` on the raw string: a token must not leak to a look-alike host
 * (`localhost:3001.evil.com`), a sibling path (`/apix`) or a URL merely mentioned in a query.
 */
@Injectable({ providedIn: 'root' })
export class DpopAllowList {
  private entries: readonly AllowListEntry[] = inject(DPOP_ALLOW_LIST).map(parseDpopResource);

  /** Registers a resource; one with the same origin and path prefix is replaced. */
  add(resource: DpopResource): void {
    const entry = parseDpopResource(resource);
    this.entries = [
      ...this.entries.filter((e) => e.origin !== entry.origin || e.pathPrefix !== entry.pathPrefix),
      entry,
    ];
  }

  /** The resource whose origin and path prefix match `url` (the longest prefix wins), or null. */
  match(url: string): DpopResource | null {
    const target = parseUrl(url);
    if (!target) return null;
    let best: AllowListEntry | null = null;
    for (const entry of this.entries) {
      if (
        entry.origin === target.origin &&
        pathMatches(target.pathname, entry.pathPrefix) &&
        (!best || entry.pathPrefix.length > best.pathPrefix.length)
      ) {
        best = entry;
      }
    }
    return best?.resource ?? null;
  }
}

/** `/api/` matches `/api/users`; `/api` matches `/api` and `/api/users` but not `/apix`. */
function pathMatches(path: string, prefix: string): boolean {
  if (prefix.endsWith('/')) {
    return path.startsWith(prefix);
  }
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Validates an allow-list entry; throws a `DpopError` that says what to fix. */
export function parseDpopResource(resource: DpopResource): AllowListEntry {
  let parsed: URL;
  try {
    // No base: an allow-list entry must name its origin explicitly.
    parsed = new URL(resource.url);
  } catch (cause) {
    throw new DpopError(
      'invalid_allow_list',
      `DPoP allow-list entry "${resource.url}" is not an absolute URL; ` +
        'give the origin and path prefix, e.g. "https://api.example.com/api/".',
      { cause },
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DpopError(
      'invalid_allow_list',
      `DPoP allow-list entry "${resource.url}" must use http: or https:.`,
    );
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new DpopError(
      'invalid_allow_list',
      `DPoP allow-list entry "${resource.url}" must be an origin and path prefix only; ` +
        'remove the query, fragment or credentials.',
    );
  }
  return { origin: parsed.origin, pathPrefix: parsed.pathname, resource };
}
