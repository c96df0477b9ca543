// The public API of the DPoP core (RFC 9449). Copy the whole dpop/ folder; import only from here.
export {
  DPOP_ALGORITHMS,
  DPOP_ALLOW_LIST,
  DPOP_CLOCK_SKEW,
  DPOP_KEY_STORAGE,
  DPOP_MEMORY_KEY_FALLBACK,
  DPOP_SUPPORTED_ALGORITHMS,
} from './dpop-config';
export type { DpopAlgorithm, DpopClockSkewOptions, DpopKeyStorageOptions } from './dpop-config';
export { algorithmOfKey, DpopAlgorithms } from './dpop-algorithms';
export type { DpopServerAlgorithms } from './dpop-algorithms';
export { DPOP_PROOF_ONLY, withDpopProof } from './dpop-context';
export { DpopAllowList } from './dpop-allow-list';
export { DpopClock } from './dpop-clock';
export { DpopError, isKeyStorageError } from './dpop-error';
export type { DpopErrorCode } from './dpop-error';
export { DpopEvents } from './dpop-events';
export type { DpopExchange } from './dpop-events';
export { dpopInterceptor } from './dpop-interceptor';
export { DpopKeyStore } from './dpop-key-store';
export type { DpopKeyStorage } from './dpop-key-store';
export { DpopNonces } from './dpop-nonces';
export { DpopProofs } from './dpop-proofs';
export type { DpopProofInput } from './dpop-proofs';
export type { DpopResource } from './dpop-resource';
export { asDpopAccessToken, DpopTokenSource } from './dpop-token-source';
export type { DpopAccessToken } from './dpop-token-source';
export { htuOf } from './htu-of';
export {
  provideDpop,
  withAlgorithms,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withMemoryKeyFallback,
  withTokenSource,
} from './provide-dpop';
export type { DpopFeature, DpopFeatureKind } from './provide-dpop';
export { readDpopError } from './read-dpop-error';
export type { DpopServerError } from './read-dpop-error';
export { checkTokenBinding } from './token-binding';
