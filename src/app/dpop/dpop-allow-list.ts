import { computed, inject, Injectable, signal } from '@angular/core';

import { DPOP_ALLOW_LIST } from './dpop-config';
import { DpopError } from './dpop-error';
import { DpopResource } from './dpop-resource';
import { defaultBase } from './htu-of';

export interface DpopAllowListEntry {
  origin: string;
  pathPrefix: string;
  resource: DpopResource;
}

/**
 * The resources that may receive a DPoP-bound token. Seeded from `withAllowList()`; the app
 * adds endpoints it learns at runtime (e.g. the OIDC userinfo endpoint after discovery).
 *
 * Matching compares the parsed origin exactly and the path by whole segments, never with
 * `includes`/`startsWith` on the raw string: a token must not leak to a look-alike host
 * (`localhost:3001.evil.com`), a sibling path (`/apix`) or a URL merely mentioned in a query.
 */
@Injectable({ providedIn: 'root' })
export class DpopAllowList {
  private readonly entries = signal<readonly DpopAllowListEntry[]>(
    inject(DPOP_ALLOW_LIST).map(parseDpopResource),
  );

  /** The registered resources, for display. */
  readonly resources = computed(() => this.entries().map((entry) => entry.resource));

  /** Registers a resource; one with the same `url` is replaced (e.g. after a new discovery). */
  add(resource: DpopResource): void {
    const entry = parseDpopResource(resource);
    this.entries.update((entries) => [
      ...entries.filter((e) => e.origin !== entry.origin || e.pathPrefix !== entry.pathPrefix),
      entry,
    ]);
  }

  /** The resource whose origin and path prefix match `url` (the longest prefix wins), or null. */
  match(url: string): DpopResource | null {
    let target: URL;
    try {
      target = new URL(url, defaultBase());
    } catch {
      return null;
    }
    let best: DpopAllowListEntry | null = null;
    for (const entry of this.entries()) {
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
export function parseDpopResource(resource: DpopResource): DpopAllowListEntry {
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
