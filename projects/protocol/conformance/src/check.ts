/**
 * One check of the catalogue: what it sends, where the rule comes from, what a conforming server
 * does, and how it judges the answer. A check's `run` makes its requests through the `Probe` and
 * returns a verdict; the runner adds the rest and reports one `CheckResult` per check.
 */
import { describeAnswer, isAccepted, isRefused, type Answer } from './answer.ts';
import type { Probe } from './probe.ts';

export type Outcome = 'pass' | 'fail' | 'n/a';

export interface Verdict {
  outcome: Outcome;
  /** What this server did, e.g. `401 invalid_dpop_proof`. */
  observed: string;
  /** The server's own `error_description`, if it gave one. */
  description?: string;
  /** Why it failed or does not apply, when that needs saying. */
  note?: string;
}

export interface ConformanceCheck {
  /** Stable, for tests and `--json` readers, e.g. `no-typ`. */
  id: string;
  /** What is sent, e.g. `Proof without typ`. */
  title: string;
  /** Where the rule comes from, e.g. `RFC 9449 §4.3 (4)`. */
  reference: string;
  /**
   * The block of the OpenID Foundation conformance suite's FAPI 2.0 test
   * `fapi2-security-profile-final-dpop-negative-tests` that sends the same, if any.
   */
  oidf?: string;
  /** What a conforming server does, e.g. `refuses it: 401 invalid_dpop_proof`. */
  expected: string;
  /** A failed required check fails the run; a recommended one (RFC "SHOULD") only warns. */
  required: boolean | ((probe: Probe) => boolean);
  /** When it fails, the checks after it prove nothing (the correct request): they are not run. */
  gate?: boolean;
  run(probe: Probe): Promise<Verdict>;
}

/** One row of the table. */
export interface CheckResult {
  id: string;
  title: string;
  reference: string;
  oidf?: string;
  expected: string;
  observed: string;
  outcome: Outcome;
  required: boolean;
  description?: string;
  note?: string;
}

export const REFUSES_PROOF = 'refuses: 401 invalid_dpop_proof';
export const ACCEPTS = 'accepts: 2xx';

/** What the answer shows in a row: `401 invalid_dpop_proof`, and the server's description. */
export function seen(answer: Answer): Pick<Verdict, 'observed' | 'description'> {
  const observed = describeAnswer(answer);
  return answer.description ? { observed, description: answer.description } : { observed };
}

/** Pass when the server refused: 401, or 400 for a malformed request (RFC 9449 §7.1, RFC 6750 §3.1). */
export function expectRefused(answer: Answer): Verdict {
  if (isRefused(answer)) return { outcome: 'pass', ...seen(answer) };
  const note = isAccepted(answer)
    ? 'accepted it'
    : 'a refusal is 401 (or 400 for a malformed request)';
  return { outcome: 'fail', ...seen(answer), note };
}

export function expectAccepted(answer: Answer): Verdict {
  if (isAccepted(answer)) return { outcome: 'pass', ...seen(answer) };
  return { outcome: 'fail', ...seen(answer), note: 'refused it' };
}

export function notApplicable(note: string): Verdict {
  return { outcome: 'n/a', observed: '—', note };
}
