// The public API of the DPoP core (RFC 9449). Copy the whole dpop/ folder; import only from here.

// Configuration, as Angular's provideHttpClient(...withX()) does it: what gets tokens, where they
// come from, where the key lives, which algorithms it may use, and the clock-skew correction.
export {
  provideDpop,
  withAllowList,
  withTokenSource,
  withKeyStorage,
  withAlgorithms,
  withClockSkewCorrection,
  type DpopFeature,
} from './provide-dpop';
export type { DpopAlgorithm, DpopClockSkewOptions, DpopKeyStorageOptions } from './dpop-config';
export type { DpopResource } from './dpop-allow-list';
export { DpopTokenSource } from './dpop-token-source';

// Requests: the interceptor, and the flag for a proof without an access token (token endpoint).
export { dpopInterceptor } from './dpop-interceptor';
export { withDpopProof } from './dpop-context';

// Sign-in code and pages: the key's life cycle, bound tokens, the exchanges.
export { Dpop } from './dpop';
export type { DpopKey } from './dpop-key';
export type { DpopKeyStorage } from './dpop-key-status';
export type { DpopExchange } from './dpop-events';
export { DpopError, type DpopErrorCode } from './dpop-error';

// Building blocks: a proof signed by hand, and a response read the way the interceptor reads it.
export { athOf, signDpopProof, type DpopProofFor } from './sign-dpop-proof';
export { readDpopResponse, type DpopResponse } from './dpop-response';
