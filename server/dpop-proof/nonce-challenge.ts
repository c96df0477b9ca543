/**
 * Whether a response asks for a DPoP nonce, and which one: `400` with the JSON error
 * `use_dpop_nonce` from an authorization server (RFC 9449 §8), or `401` with
 * `WWW-Authenticate: DPoP error="use_dpop_nonce"` from a resource server (§9), each with the
 * nonce in `DPoP-Nonce`. The client puts that nonce in a fresh proof and retries once.
 */
export interface ServerAnswer {
  status: number;
  /** The `DPoP-Nonce` header. */
  nonce: string | null | undefined;
  /** The `WWW-Authenticate` header. */
  wwwAuthenticate: string | null | undefined;
  /** The parsed JSON body, if any. */
  body: unknown;
}

/** The nonce to retry with, or undefined when the answer is no nonce challenge. */
export function nonceChallengeOf(answer: ServerAnswer): string | undefined {
  if (!answer.nonce || (answer.status !== 400 && answer.status !== 401)) return undefined;
  const inBody =
    (answer.body as { error?: unknown } | null | undefined)?.error === 'use_dpop_nonce';
  const inHeader = /error="use_dpop_nonce"/.test(answer.wwwAuthenticate ?? '');
  return inBody || inHeader ? answer.nonce : undefined;
}
