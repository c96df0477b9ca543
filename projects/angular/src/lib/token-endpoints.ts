import { HttpRequest } from '@angular/common/http';
import { Injectable } from '@angular/core';

import { parseUrl } from './request-urls';

/**
 * What the DPoP core needs from an authorization server's metadata (RFC 8414, OpenID Connect
 * Discovery): a discovery document fits as it is.
 */
export interface DpopServerMetadata {
  token_endpoint: string;
  revocation_endpoint?: string;
  pushed_authorization_request_endpoint?: string;
  dpop_signing_alg_values_supported?: readonly string[];
}

/** How a request to a registered endpoint is sent: a proof alone, and for a token request its answer checked. */
export type DpopEndpointKind = 'token' | 'proof-only';

/**
 * The authorization server's endpoints whose POSTs carry a DPoP proof and never an access token:
 * the token endpoint (RFC 9449 §5), whose token responses are refused unless bound to the key;
 * the revocation endpoint (a DPoP-bound refresh token is revoked with a proof of its key); and the
 * pushed authorization request endpoint (§10.1). Compared by origin and path: a query or fragment
 * does not make another endpoint.
 */
@Injectable({ providedIn: 'root' })
export class DpopTokenEndpoints {
  private readonly byUrl = new Map<string, DpopEndpointKind>();

  register(metadata: DpopServerMetadata): void {
    this.add(metadata.token_endpoint, 'token');
    this.add(metadata.revocation_endpoint, 'proof-only');
    this.add(metadata.pushed_authorization_request_endpoint, 'proof-only');
  }

  /** The kind of a request to a registered endpoint; null for any other request. */
  match(req: HttpRequest<unknown>): DpopEndpointKind | null {
    if (req.method !== 'POST' || this.byUrl.size === 0) return null;
    return this.byUrl.get(keyOf(req.url) ?? '') ?? null;
  }

  private add(url: string | undefined, kind: DpopEndpointKind): void {
    const key = url === undefined ? null : keyOf(url);
    if (key !== null) this.byUrl.set(key, kind);
  }
}

function keyOf(url: string): string | null {
  const parsed = parseUrl(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : null;
}
