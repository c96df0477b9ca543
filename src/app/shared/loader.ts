import { inject, PendingTasks, signal, Signal } from '@angular/core';

import { Problem } from './problem';
import { settledProblem } from './to-problem';

/** A view's asynchronous data: its value, whether it is loading, and what went wrong. */
export interface Loader<T> {
  readonly value: Signal<T | undefined>;
  readonly loading: Signal<boolean>;
  readonly problem: Signal<Problem | null>;
  /** Loads (again); a failure becomes `problem`, never a rejected promise. */
  load(): Promise<void>;
}

/**
 * Loads with `task` now and on every `load()`. `service` names what was called, for the problem
 * ("The API at http://localhost:3001/api/"). Call it in an injection context (a field initializer).
 */
export function loader<T>(task: () => Promise<T>, service: () => string): Loader<T> {
  const track = pendingTask();
  const value = signal<T | undefined>(undefined);
  const loading = signal(true);
  const problem = signal<Problem | null>(null);
  const load = () =>
    track(async () => {
      loading.set(true);
      problem.set(null);
      try {
        value.set(await task());
      } catch (error) {
        // The view shows the user's text; the developer's message goes to the console.
        console.error(error);
        problem.set(await settledProblem(error, service()));
      } finally {
        loading.set(false);
      }
    });
  void load();
  return { value, loading: loading.asReadonly(), problem: problem.asReadonly(), load };
}

/**
 * Runs async work as one of the app's pending tasks, so the app is not "stable" meanwhile
 * (`whenStable()` in tests, SSR if ever added). Call it in an injection context.
 */
export function pendingTask(): <T>(work: () => Promise<T>) => Promise<T> {
  const pendingTasks = inject(PendingTasks);
  return async (work) => {
    const done = pendingTasks.add();
    try {
      return await work();
    } finally {
      done();
    }
  };
}
