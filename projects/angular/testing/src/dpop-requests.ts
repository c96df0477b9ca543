import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { EmbeddedJWK, jwtVerify, type JWTPayload } from 'jose';

/**
 * The next open request matching `match`, once the interceptor has sent it. The interceptor signs
 * the proof asynchronously (WebCrypto, IndexedDB), so the request reaches `HttpTestingController`
 * a few tasks after `subscribe`, and `expectOne` right away would miss it: this polls between
 * macrotasks until exactly one matching request is open.
 */
export async function nextDpopRequest(
  backend: HttpTestingController,
  match: Parameters<HttpTestingController['match']>[0],
  timeoutMs = 3000, // below Jasmine's default 5 s, so this message wins
): Promise<TestRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = backend.match(match);
    if (open.length > 1) throw new Error(`expected one request, got ${open.length}`);
    if (open.length === 1) return open[0]!;
    if (Date.now() > deadline) {
      throw new Error(`no request matching ${JSON.stringify(match)} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The claims of the request's DPoP proof, verified with the key in its header (`typ` dpop+jwt). */
export async function dpopProofOf(req: TestRequest): Promise<JWTPayload> {
  const proof = req.request.headers.get('DPoP');
  if (!proof) throw new Error(`${req.request.method} ${req.request.url} has no DPoP header`);
  return (await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })).payload;
}

/**
 * What a resource server answers to a proof without its nonce (RFC 9449 §9), for `req.flush(null,
 * dpopNonceChallenge('n-1'))`; without a nonce, as a browser sees it when CORS hides `DPoP-Nonce`.
 */
export function dpopNonceChallenge(nonce?: string) {
  return {
    status: 401,
    statusText: 'Unauthorized',
    headers: {
      'WWW-Authenticate':
        'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
      ...(nonce ? { 'DPoP-Nonce': nonce } : {}),
    },
  };
}
