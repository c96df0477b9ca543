// @dpop-lab/angular/testing: helpers for specs of an app that uses the DPoP interceptor with
// HttpTestingController. Keep WebCrypto and IndexedDB real: they are what the interceptor relies on.
export { dpopNonceChallenge, dpopProofOf, nextDpopRequest } from './dpop-requests';
