/**
 * Runs the catalogue against one resource server and reports a row per check, as each completes.
 * It needs only `fetch`, WebCrypto and jose, so `npm run conformance` (Node) and the app's
 * "Check this API" page (a browser) run the same code.
 *
 *   const report = await runConformance({ url, key, accessToken, onResult: (row) => show(row) });
 *   report.passed    // no failure a thief could use, and the run went to the end
 *
 * The verdict is chosen once, here: by default a failure fails the run when someone without the
 * key could use it (or the run could not judge the server), and only warns when it exposes
 * nothing (risks.ts); `strict: true` fails every deviation.
 *
 * Rejects with ApiUnreachable (./probe.ts) when the first request gets no answer at all.
 */
import type { ProofKey } from '@dpop-lab/protocol';
import { describeAnswer } from './answer.ts';
import { CONFORMANCE_CHECKS } from './catalogue.ts';
import { notApplicable, type CheckResult, type ConformanceCheck, type Verdict } from './check.ts';
import { Probe, RunStopped } from './probe.ts';
import type { Risk } from './risks.ts';

export interface ConformanceOptions {
  /** The protected resource to check, e.g. http://localhost:3001/api/apps. */
  url: string;
  /** The request's method; default GET. */
  method?: string;
  /** The key `accessToken` is bound to (its `cnf.jkt`). */
  key: ProofKey;
  accessToken: string;
  /**
   * A nonce another server issued, and the URL that issued it (e.g. the authorization server's
   * token endpoint); without one from another origin, that check does not apply.
   */
  foreignNonce?: { value: string; issuedBy: string };
  /** Wait until the first nonce is this old and check the server refuses it; without it that check does not run. */
  staleNonceAfterSeconds?: number;
  /** Fail every deviation, not only those someone without the key could use. */
  strict?: boolean;
  /** Called with each row as soon as it is known. */
  onResult?: (result: CheckResult) => void;
  fetch?: typeof fetch;
  /** Time limit of each request; default 10 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConformanceReport {
  url: string;
  method: string;
  /** The server asked for DPoP nonces. */
  requiresNonce: boolean;
  /** Every deviation failed the run, not only the exploitable ones. */
  strict: boolean;
  results: CheckResult[];
  /** No result is a `fail`, and the run went to the end. */
  passed: boolean;
  /** Why the run stopped early, if it did. */
  stopped?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The run stopped: what comes after was not checked. */
const STOPPED: Risk = {
  impact: 'inconclusive',
  summary: 'The run stopped early: the checks after this one were not run.',
};

function resultOf(
  check: ConformanceCheck,
  verdict: Verdict,
  probe: Probe,
  strict: boolean,
): CheckResult {
  const { risk: verdictRisk, ...seen } = verdict;
  const risk = verdictRisk ?? (typeof check.risk === 'function' ? check.risk(probe) : check.risk);
  return {
    id: check.id,
    title: check.title,
    reference: check.reference,
    level: check.level,
    ...(check.oidf ? { oidf: check.oidf } : {}),
    ...(check.profile ? { profile: check.profile } : {}),
    expected: check.expected,
    impact: risk.impact,
    risk: risk.summary,
    required: strict || risk.impact !== 'harmless',
    ...seen,
  };
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const method = (options.method ?? 'GET').toUpperCase();
  const strict = options.strict ?? false;
  const probe = new Probe({
    url: options.url,
    method,
    key: options.key,
    accessToken: options.accessToken,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 10_000,
    sleep: options.sleep ?? sleep,
    foreignNonce: options.foreignNonce,
    staleNonceAfterSeconds: options.staleNonceAfterSeconds,
  });
  const results: CheckResult[] = [];
  let notRun: string | undefined;
  let stopped: string | undefined;

  for (const check of CONFORMANCE_CHECKS) {
    let verdict: Verdict;
    if (notRun) {
      verdict = notApplicable(notRun);
    } else {
      try {
        verdict = await check.run(probe);
      } catch (error) {
        if (!(error instanceof RunStopped)) throw error;
        stopped = error.message;
        notRun = `not run: ${error.message}`;
        verdict = {
          outcome: 'fail',
          observed: describeAnswer(error.answer),
          note: error.message,
          risk: STOPPED,
        };
      }
    }
    const result = resultOf(check, verdict, probe, strict);
    results.push(result);
    options.onResult?.(result);
    if (check.gate && result.outcome === 'fail') {
      notRun = 'not run: the correct request was refused, so a refusal would prove nothing';
    }
  }

  return {
    url: options.url,
    method,
    requiresNonce: probe.requiresNonce,
    strict,
    results,
    passed: !stopped && results.every((r) => r.outcome !== 'fail' || !r.required),
    ...(stopped ? { stopped } : {}),
  };
}
