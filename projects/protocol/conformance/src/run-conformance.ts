/**
 * Runs the catalogue against one resource server and reports a row per check, as each completes.
 * It needs only `fetch`, WebCrypto and jose, so `npm run conformance` (Node) and the app's
 * "Check this API" page (a browser) run the same code.
 *
 *   const report = await runConformance({ url, key, accessToken, onResult: (row) => show(row) });
 *   report.passed    // every required check passed and the run went to the end
 *
 * Rejects with ApiUnreachable (./probe.ts) when the first request gets no answer at all.
 */
import type { ProofKey } from '@dpop-lab/protocol';
import { describeAnswer } from './answer.ts';
import { CONFORMANCE_CHECKS } from './catalogue.ts';
import { notApplicable, type CheckResult, type ConformanceCheck, type Verdict } from './check.ts';
import { Probe, RunStopped } from './probe.ts';

export interface ConformanceOptions {
  /** The protected resource to check, e.g. http://localhost:3001/api/apps. */
  url: string;
  /** The request's method; default GET. */
  method?: string;
  /** The key `accessToken` is bound to (its `cnf.jkt`). */
  key: ProofKey;
  accessToken: string;
  /** A nonce another server issued, e.g. the authorization server's; without it that check does not apply. */
  foreignNonce?: { value: string; from: string };
  /** Wait until the first nonce is this old and check the server refuses it; without it that check does not run. */
  staleNonceAfterSeconds?: number;
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
  results: CheckResult[];
  /** Every required check passed, and the run went to the end. */
  passed: boolean;
  /** Why the run stopped early, if it did. */
  stopped?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function resultOf(check: ConformanceCheck, verdict: Verdict, probe: Probe): CheckResult {
  const required = typeof check.required === 'function' ? check.required(probe) : check.required;
  return {
    id: check.id,
    title: check.title,
    reference: check.reference,
    ...(check.oidf ? { oidf: check.oidf } : {}),
    expected: check.expected,
    required,
    ...verdict,
  };
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const method = (options.method ?? 'GET').toUpperCase();
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
        verdict = { outcome: 'fail', observed: describeAnswer(error.answer), note: error.message };
      }
    }
    const result = resultOf(check, verdict, probe);
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
    results,
    passed: !stopped && results.every((r) => r.outcome !== 'fail' || !r.required),
    ...(stopped ? { stopped } : {}),
  };
}
