import { signal } from '@angular/core';

import { pendingTask } from '../shared/loader';

/**
 * What the attack lab's buttons share: one run at a time, and each one's last result or why it
 * could not run, by id. Create it in an injection context (a field initializer).
 */
export interface Runs<Id extends string, Result> {
  readonly running: () => Id | null;
  readonly results: () => Partial<Record<Id, Result>>;
  readonly failures: () => Partial<Record<Id, string>>;
  /** Runs `work` for `id`; a failure is kept as `<couldNot>: <message>`, never thrown. */
  run(id: Id, work: () => Promise<Result>): Promise<void>;
}

export function runs<Id extends string, Result>(couldNot: string): Runs<Id, Result> {
  const track = pendingTask();
  const running = signal<Id | null>(null);
  const results = signal<Partial<Record<Id, Result>>>({});
  const failures = signal<Partial<Record<Id, string>>>({});
  const forget = <T>(all: Partial<Record<Id, T>>, id: Id) => {
    const rest = { ...all };
    delete rest[id];
    return rest;
  };
  return {
    running: running.asReadonly(),
    results: results.asReadonly(),
    failures: failures.asReadonly(),
    run: (id, work) =>
      track(async () => {
        running.set(id);
        results.update((all) => forget(all, id));
        failures.update((all) => forget(all, id));
        try {
          const result = await work();
          results.update((all) => ({ ...all, [id]: result }));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.update((all) => ({ ...all, [id]: `${couldNot}: ${message}` }));
        } finally {
          running.set(null);
        }
      }),
  };
}
