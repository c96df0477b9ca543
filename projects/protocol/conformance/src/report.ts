/** What a finished run comes to, in words the command and the page both print. */
import type { CheckResult } from './check.ts';
import type { ConformanceReport } from './run-conformance.ts';

/**
 * `pass`, `fail`, `warn` (a failure that exposes nothing, under the default verdict) or `n/a`:
 * the table's result column.
 */
export function resultLabel(result: Pick<CheckResult, 'outcome' | 'required'>): string {
  return result.outcome === 'fail' && !result.required ? 'warn' : result.outcome;
}

const titles = (results: readonly CheckResult[]) => results.map((r) => r.title).join('; ');

export function summaryOf(report: ConformanceReport): string {
  const labelled = (label: string) =>
    report.results.filter((result) => resultLabel(result) === label);
  const [failed, warned] = [labelled('fail'), labelled('warn')];
  const counts = [
    `${labelled('pass').length} pass`,
    `${failed.length} fail`,
    ...(warned.length ? [`${warned.length} warn`] : []),
    `${labelled('n/a').length} not applicable`,
  ].join(', ');
  const verdict = report.stopped
    ? `Stopped early: ${report.stopped}`
    : failed.length === 0
      ? 'Every required check passes.'
      : `${failed.length} required check${failed.length === 1 ? '' : 's'} fail: ${titles(failed)}.`;
  const warnings = warned.length
    ? ` Warnings, no security impact (--strict fails them): ${titles(warned)}.`
    : '';
  return `${report.results.length} checks: ${counts}. ${verdict}${warnings}`;
}
