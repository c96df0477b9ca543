// The part of the DPoP core loaded on first use of the key (`Dpop`, the interceptor): the key
// store, the sender and the checks of issued tokens, in one module so they load as one chunk.
//
// Like every part loaded on first use, it reaches what it shares with the start-up part through
// index.ts (the sender signs and reads with the public building blocks). That keeps the start-up
// part of the core in one initial chunk: the bundler splits shared code by which entry points
// reach it, and every one of them reaches index.ts.
export { DpopKeyStore } from './dpop-key-store';
export { DpopSender } from './dpop-sender';
export { checkTokenBinding, checkTokenType } from './token-binding';
