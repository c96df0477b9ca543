// @dpop-lab/protocol: DPoP (RFC 9449) for any JavaScript client, in browsers and Node 20+.
// One copy of each rule; the Angular package, the CLIs, the self-test and the servers' tests use it.

// Keys and proofs (§4.2): a key that signs and never hands out its private key; thumbprint; ath; htu.
export { createProofKey, proofKeyOf, thumbprintOf, type ProofKey } from './lib/proof-key.ts';
export { signProof, type ProofFaults, type ProofRequest } from './lib/sign-proof.ts';
export { athOf } from './lib/ath.ts';
export { htuOf, originOf } from './lib/htu.ts';

// What a server answered (§7.1, §8, §9; RFC 9110 §11.6.1), read once.
export { readDpopAnswer, type DpopAnswer, type HttpAnswer } from './lib/dpop-answer.ts';
export { dpopChallengeOf, readChallenges, type Challenge } from './lib/www-authenticate.ts';

// Remembering servers: their nonces and their clocks, per origin, bounded.
export { NonceCache } from './lib/nonce-cache.ts';
export { ServerClocks } from './lib/server-clocks.ts';

// The retry rule: a nonce challenge once, a clock skew once.
export {
  afterRetry,
  isNonceChallenge,
  nextRetry,
  type DpopRetry,
  type RetryState,
} from './lib/retry.ts';

// What a token response issued (§5, §6): refused unless bound to this key.
export { checkIssuedTokens, tokenBindingOf, type TokenBinding } from './lib/issued-tokens.ts';
export { DpopProtocolError, type DpopProtocolErrorCode } from './lib/protocol-error.ts';

// A client on fetch that does all of the above, for Node and script in a page.
export {
  DpopClient,
  type DpopAttempt,
  type DpopClientOptions,
  type DpopFetchResult,
  type DpopRequestInit,
} from './lib/dpop-client.ts';
