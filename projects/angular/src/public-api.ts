// @dpop-lab/angular: DPoP-bound tokens (RFC 9449) for Angular's HttpClient, beside the sign-in
// library an app already uses. What an inspector or a lab needs is in @dpop-lab/angular/devtools.

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
} from './lib/provide-dpop';
export type { DpopAlgorithm, DpopClockSkewOptions, DpopKeyStorageOptions } from './lib/dpop-config';
export type { DpopResource } from './lib/dpop-allow-list';
export { DpopTokenSource } from './lib/dpop-token-source';

// Requests: the interceptor signs every request it owns.
export { dpopInterceptor } from './lib/dpop-interceptor';

// Sign-in code: the key's life cycle, the authorization server, where the key lives.
export { Dpop } from './lib/dpop';
export type { DpopServerMetadata } from './lib/token-endpoints';
export type { DpopKeyStorage } from './lib/dpop-key-status';
export { DpopError, type DpopErrorCode } from './lib/dpop-error';

// For @dpop-lab/angular/devtools only: not public API, may change in any release.
export { DpopInternals as ɵDpopInternals } from './lib/dpop-internals';
export type { DpopExchange as ɵDpopExchange } from './lib/exchange-tap';
export type { DpopKey as ɵDpopKey } from './lib/runtime/dpop-key';
