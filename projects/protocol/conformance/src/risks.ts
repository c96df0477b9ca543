/**
 * What a server that fails a check lets happen, and so how the failure is judged (issue 20). The
 * default verdict fails what someone without the key could use — a thief who holds a stolen
 * token or a captured request, or someone who had the key for a moment and made proofs for later
 * (RFC 9449 §11.2, §11.4) — and only warns on a deviation that exposes nothing: one only the key
 * holder can cause (its own proof, spelled its own way), or one that refuses honest clients.
 * `strict` fails every deviation.
 */
import type { Probe } from './probe.ts';

/**
 * - `exploitable`: someone without the key could use it; fails the run.
 * - `harmless`: nothing is exposed; warns (fails with `strict`).
 * - `inconclusive`: the run could not judge the server (a correct request was refused, or the
 *   run stopped), so it proves nothing; fails the run.
 */
export type Impact = 'exploitable' | 'harmless' | 'inconclusive';

export interface Risk {
  impact: Impact;
  /** What a failure lets happen, in a sentence that names the attack for what it is. */
  summary: string;
}

/** A check's risk, fixed, or depending on what the run learned (whether the server asks for nonces). */
export type RiskOf = Risk | ((probe: Probe) => Risk);

const exploitable = (summary: string): Risk => ({ impact: 'exploitable', summary });
const harmless = (summary: string): Risk => ({ impact: 'harmless', summary });

export const NO_PROTECTION = exploitable('No protection: the resource answers without a token.');

export const STOLEN_TOKEN = exploitable(
  'Stolen token: a token copied from a log or a proxy works without the key it is bound to.',
);

export const FORGED_PROOF = exploitable(
  'Forged proof: the signature is not checked, so anyone can make a proof this server accepts.',
);

export const OTHER_JWT = exploitable(
  'JWT swapping: a JWT the key signed for another purpose passes as a proof (RFC 9449 §11.5).',
);

export const PROOF_REUSED_ELSEWHERE = exploitable(
  'Captured proof reused elsewhere: a proof taken from one request works for another method, URL or token.',
);

export const REPLAY = exploitable(
  "Replay: a captured request can be sent again, as often as wanted, for as long as the server accepts its proof's iat.",
);

export const OLD_PROOF = exploitable(
  'Old proof: a request captured an hour ago still works (RFC 9449 §11.1: proofs are accepted only for a short time).',
);

export const PRE_MADE_PROOF = exploitable(
  'Pre-made proofs: someone who had the key for a moment (a script in the page) can make proofs that still work after it is gone (RFC 9449 §11.2).',
);

export const KEY_HOLDER_ONLY = harmless(
  'No security impact: only the holder of the key can make such a proof.',
);

export const HONEST_CLIENTS_REFUSED = harmless(
  'No security impact: honest clients that send this are refused (interoperability).',
);

export const WRONG_REFUSAL = harmless(
  'No security impact: refused, but not as RFC 9449 §7.1 says, so a client cannot tell what to fix.',
);

export const NONCE_BOUNDS_IT = harmless(
  "No security impact here: this server's nonce already limits how long a proof works (RFC 9449 §11.1, §11.2).",
);

export const NO_RESULT: Risk = {
  impact: 'inconclusive',
  summary:
    'The run proves nothing: a correct request was refused, so any refusal may be for that and not for the fault a check is about.',
};

/** Exploitable without server nonces; with them, the nonce is what limits a proof's life. */
export const unlessNonces =
  (risk: Risk) =>
  (probe: Probe): Risk =>
    probe.requiresNonce ? NONCE_BOUNDS_IT : risk;
