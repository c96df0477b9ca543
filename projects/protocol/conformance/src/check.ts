/**
 * One check of the catalogue: what it sends, where the rule comes from and how strongly it is
 * worded, what a conforming server does, what a failure lets happen, and how it judges the
 * answer. A check's `run` makes its requests through the `Probe` and returns a verdict; the runner
 * adds the rest and reports one `CheckResult` per check.
 */
import { describeAnswer, isAccepted, isRefused, type Answer } from './answer.ts';
import type { Probe } from './probe.ts';
import { WRONG_REFUSAL, type Impact, type Risk, type RiskOf } from './risks.ts';

export type Outcome = 'pass' | 'fail' | 'n/a';

/**
 * How the source words the rule (RFC 2119 keywords, or a definition the standard states as fact,
 * such as "field names are case-insensitive", as MUST); `beyond the RFCs` when none asks for it.
 */
export type Level = 'MUST' | 'SHOULD' | 'MAY' | 'beyond the RFCs';

/** A profile whose conformance test sends the same, and how that test judges a server that fails. */
export interface Profile {
  /** e.g. `FAPI 2.0`. */
  name: string;
  verdict: 'fails' | 'warns';
}

/** The OpenID Foundation's FAPI 2.0 DPoP test fails a server that gets it wrong… */
export const FAPI_FAILS: Profile = { name: 'FAPI 2.0', verdict: 'fails' };
/** …or only warns (its "this 'should' fail", and the SHOULDs of RFC 9449). */
export const FAPI_WARNS: Profile = { name: 'FAPI 2.0', verdict: 'warns' };

export interface Verdict {
  outcome: Outcome;
  /** What this server did, e.g. `401 invalid_dpop_proof`. */
  observed: string;
  /** The server's own `error_description`, if it gave one. */
  description?: string;
  /** Why it failed or does not apply, when that needs saying. */
  note?: string;
  /** What this failure lets happen, when it is not what the check's failure usually means. */
  risk?: Risk;
}

export interface ConformanceCheck {
  /** Stable, for tests and `--json` readers, e.g. `no-typ`. */
  id: string;
  /** What is sent, e.g. `Proof without typ`. */
  title: string;
  /** Where the rule comes from, e.g. `RFC 9449 §4.3 (4)`. */
  reference: string;
  level: Level;
  /**
   * The block of the OpenID Foundation conformance suite's FAPI 2.0 test
   * `fapi2-security-profile-final-dpop-negative-tests` that sends the same, if any.
   */
  oidf?: string;
  /** The profile that asks for it, if any. */
  profile?: Profile;
  /** What a conforming server does, e.g. `refuses it: 401 invalid_dpop_proof`. */
  expected: string;
  /** What a failure lets happen; it decides whether the failure fails the run or warns. */
  risk: RiskOf;
  /** When it fails, the checks after it prove nothing (the correct request): they are not run. */
  gate?: boolean;
  run(probe: Probe): Promise<Verdict>;
}

/** One row of the table: what the check is, and what this server did. */
export interface CheckResult extends Pick<
  ConformanceCheck,
  'id' | 'title' | 'reference' | 'level' | 'oidf' | 'profile' | 'expected'
> {
  observed: string;
  outcome: Outcome;
  /** What a failure of this check means (for a failure, the one it had). */
  impact: Impact;
  /** What a failure lets happen, in words. */
  risk: string;
  /** A failure here fails the run (`fail`); otherwise it only warns (`warn`). */
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

/**
 * Pass when the server refused: 401, or 400 for a malformed request (RFC 9449 §7.1, RFC 6750
 * §3.1). Accepting it is the failure the check is about; refusing with another status (403, 500)
 * exposes nothing.
 */
export function expectRefused(answer: Answer): Verdict {
  if (isRefused(answer)) return { outcome: 'pass', ...seen(answer) };
  if (isAccepted(answer)) return { outcome: 'fail', ...seen(answer), note: 'accepted it' };
  return {
    outcome: 'fail',
    ...seen(answer),
    note: 'a refusal is 401 (or 400 for a malformed request)',
    risk: WRONG_REFUSAL,
  };
}

export function expectAccepted(answer: Answer): Verdict {
  if (isAccepted(answer)) return { outcome: 'pass', ...seen(answer) };
  return { outcome: 'fail', ...seen(answer), note: 'refused it' };
}

export function notApplicable(note: string): Verdict {
  return { outcome: 'n/a', observed: '—', note };
}
