import { signal, Signal } from '@angular/core';

import { isRecord, readLabRecord, writeLabRecord } from '../shared/lab-records';
import { pendingTask } from '../shared/loader';
import type { Progress } from './lesson';

/**
 * What the attack lab's buttons share: one run at a time, each one's progress while it runs, and
 * its last result or why it could not run, by id — kept for this tab's session (a lab record), so
 * results survive a change of view and a reload. Create it in an injection context (LabRuns).
 */
export interface Runs<Id extends string, Result> {
  readonly running: Signal<Id | null>;
  /** The running one's steps so far (lessons report them; attacks are quick). */
  readonly progress: Signal<Progress | null>;
  readonly results: Signal<Partial<Record<Id, Result>>>;
  readonly failures: Signal<Partial<Record<Id, string>>>;
  /**
   * Runs `work` for `id` unless a run is under way; a failure is kept as `<couldNot>: <message>`,
   * never thrown. `work` may report its progress.
   */
  run(id: Id, work: (report: (progress: Progress) => void) => Promise<Result>): Promise<void>;
}

/** What a lab record holds; `version` tells a record of this shape from an older one. */
interface Kept<Id extends string, Result> {
  version: typeof VERSION;
  results: Partial<Record<Id, Result>>;
  failures: Partial<Record<Id, string>>;
}
const VERSION = 2;

export function runs<Id extends string, Result>(
  couldNot: string,
  record: string,
): Runs<Id, Result> {
  const track = pendingTask();
  const kept = readLabRecord(record, (value): value is Kept<Id, Result> => {
    return (
      isRecord(value) &&
      value['version'] === VERSION &&
      isRecord(value['results']) &&
      isRecord(value['failures'])
    );
  });
  const running = signal<Id | null>(null);
  const progress = signal<Progress | null>(null);
  const results = signal<Partial<Record<Id, Result>>>(kept?.results ?? {});
  const failures = signal<Partial<Record<Id, string>>>(kept?.failures ?? {});
  const forget = <T>(all: Partial<Record<Id, T>>, id: Id) => {
    const rest = { ...all };
    delete rest[id];
    return rest;
  };
  const keep = () =>
    writeLabRecord(record, { version: VERSION, results: results(), failures: failures() });
  return {
    running: running.asReadonly(),
    progress: progress.asReadonly(),
    results: results.asReadonly(),
    failures: failures.asReadonly(),
    run: async (id, work) => {
      if (running() !== null) return;
      running.set(id);
      await track(async () => {
        results.update((all) => forget(all, id));
        failures.update((all) => forget(all, id));
        try {
          const result = await work((now) => progress.set(now));
          results.update((all) => ({ ...all, [id]: result }));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.update((all) => ({ ...all, [id]: `${couldNot}: ${message}` }));
        } finally {
          keep();
          progress.set(null);
          running.set(null);
        }
      });
    },
  };
}
