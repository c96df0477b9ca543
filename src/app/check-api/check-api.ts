import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import {
  CONFORMANCE_CHECKS,
  resultLabel,
  summaryOf,
  type CheckResult,
} from '@dpop-lab/protocol/conformance';
import { Auth } from '../auth/auth';
import { isRecord, readLabRecord, writeLabRecord } from '../shared/lab-records';
import { pendingTask } from '../shared/loader';
import { ApiChecker } from './api-checker';

/** The last run, kept for this tab's session (a lab record). */
interface LastRun {
  results: CheckResult[];
  summary: string | null;
  failure: string | null;
}
const RECORD = 'check-results';

/**
 * "Check this API": the DPoP conformance catalogue run from this page against the configured
 * API. Before a run, a short account of what it checks; then one table row per check, filled in
 * as each answer comes (stacked rows at phone width). The last run is kept for the tab's session.
 */
@Component({
  selector: 'app-check-api',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  templateUrl: './check-api.html',
  styleUrl: './check-api.css',
})
export class CheckApi {
  private readonly checker = inject(ApiChecker);
  private readonly track = pendingTask();
  protected readonly auth = inject(Auth);
  protected readonly url = this.checker.url;
  protected readonly checks = CONFORMANCE_CHECKS;
  protected readonly refusals = CONFORMANCE_CHECKS.filter((check) =>
    check.expected.startsWith('refuses'),
  ).length;
  /** Those a server must accept, but the correct request it starts and ends with. */
  protected readonly acceptances = CONFORMANCE_CHECKS.slice(1, -1).filter((check) =>
    check.expected.startsWith('accepts:'),
  ).length;

  private readonly kept = readLabRecord(RECORD, isLastRun);
  protected readonly running = signal(false);
  private readonly results = signal<ReadonlyMap<string, CheckResult>>(
    new Map((this.kept?.results ?? []).map((result) => [result.id, result])),
  );
  protected readonly summary = signal<string | null>(this.kept?.summary ?? null);
  protected readonly failure = signal<string | null>(this.kept?.failure ?? null);

  /** Every check, with its result once it has one. */
  protected readonly rows = computed(() =>
    CONFORMANCE_CHECKS.map((check) => {
      const result = this.results().get(check.id);
      return { check, result, label: result ? resultLabel(result) : null };
    }),
  );
  protected readonly done = computed(() => this.results().size);

  protected run(): Promise<void> {
    if (this.running()) return Promise.resolve();
    this.running.set(true);
    return this.track(async () => {
      this.results.set(new Map());
      this.summary.set(null);
      this.failure.set(null);
      try {
        const report = await this.checker.run((result) =>
          this.results.update((all) => new Map(all).set(result.id, result)),
        );
        this.summary.set(summaryOf(report));
      } catch (error) {
        this.failure.set(
          `The checks could not run: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        this.running.set(false);
        writeLabRecord(RECORD, {
          results: [...this.results().values()],
          summary: this.summary(),
          failure: this.failure(),
        } satisfies LastRun);
      }
    });
  }
}

function isLastRun(value: unknown): value is LastRun {
  return (
    isRecord(value) &&
    Array.isArray(value['results']) &&
    value['results'].every((result) => isRecord(result) && typeof result['id'] === 'string')
  );
}
