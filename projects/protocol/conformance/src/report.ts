/** What a finished run comes to, in words the command and the page both print. */
import type { CheckResult } from './check.ts';
import type { ConformanceReport } from './run-conformance.ts';

/** `pass`, `fail`, `warn` (a recommended check failed) or `n/a`: the table's last column. */
export function resultLabel(result: Pick<CheckResult, 'outcome' | 'required'>): string {
  return result.outcome === 'fail' && !result.required ? 'warn' : result.outcome;
}

export function summaryOf(report: ConformanceReport): string {
  const count = (label: string) =>
    report.results.filter((result) => resultLabel(result) === label).length;
  const counts = [
    `${count('pass')} pass`,
    `${count('fail')} fail`,
    ...(count('warn') ? [`${count('warn')} warn`] : []),
    `${count('n/a')} not applicable`,
  ].join(', ');
  const failed = report.results.filter((result) => resultLabel(result) === 'fail');
  const verdict = report.stopped
    ? `Stopped early: ${report.stopped}`
    : failed.length === 0
      ? 'Every required check passes.'
      : `${failed.length} required check${failed.length === 1 ? '' : 's'} fail: ${failed.map((r) => r.title).join('; ')}.`;
  return `${report.results.length} checks: ${counts}. ${verdict}`;
}
