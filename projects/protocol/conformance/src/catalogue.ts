/**
 * The DPoP conformance catalogue of a resource server, in the order it runs: the correct request
 * first (if the server refuses it, nothing after it proves anything), then what a conforming
 * server refuses, what it must accept, replays, nonces, and the correct request again at the end.
 */
import { ACCEPTANCE_CHECKS, CORRECT_REQUEST, STILL_WORKS } from './acceptance-checks.ts';
import type { ConformanceCheck } from './check.ts';
import { NONCE_CHECKS } from './nonce-checks.ts';
import { REFUSAL_CHECKS } from './refusal-checks.ts';
import { REPLAY_CHECKS } from './replay-checks.ts';

export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  CORRECT_REQUEST,
  ...REFUSAL_CHECKS,
  ...ACCEPTANCE_CHECKS,
  ...REPLAY_CHECKS,
  ...NONCE_CHECKS,
  STILL_WORKS,
];
