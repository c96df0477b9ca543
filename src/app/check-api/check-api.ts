import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import {
  CONFORMANCE_CHECKS,
  resultLabel,
  summaryOf,
  type CheckResult,
} from '@dpop-lab/protocol/conformance';
import { Auth } from '../auth/auth';
import { pendingTask } from '../shared/loader';
import { ApiChecker } from './api-checker';

/**
 * "Check this API": the DPoP conformance catalogue run from this page against the configured
 * API, one table row per check, filled in as each answer comes.
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
  protected readonly checkCount = CONFORMANCE_CHECKS.length;

  protected readonly running = signal(false);
  private readonly results = signal<ReadonlyMap<string, CheckResult>>(new Map());
  protected readonly summary = signal<string | null>(null);
  protected readonly failure = signal<string | null>(null);

  /** Every check, with its result once it has one. */
  protected readonly rows = computed(() =>
    CONFORMANCE_CHECKS.map((check) => {
      const result = this.results().get(check.id);
      return { check, result, label: result ? resultLabel(result) : null };
    }),
  );
  protected readonly done = computed(() => this.results().size);

  protected run(): Promise<void> {
    return this.track(async () => {
      this.running.set(true);
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
      }
    });
  }
}
