// The part of the DPoP core loaded on first use of the key (`Dpop`, the interceptor, devtools),
// through `loadRuntime()` only: the key store, the sender, and what they sign and check with.
export { DpopAlgorithms } from './dpop-algorithms';
export { DpopKeyStore } from './dpop-key-store';
export { DpopNonces } from './dpop-nonces';
export { DpopSender } from './dpop-sender';
export { checkIssued } from './issued-tokens';
