import type { DefenceOutcome } from './defence-outcome';

/** What one of the attack lab's script-in-the-page lessons came to. */
export interface LessonOutcome {
  /** Whether the script got what it was after (got through), or was blocked. */
  outcome: DefenceOutcome;
  /** The answer that decided it, e.g. `200` or `400 invalid_grant`. */
  status: string;
  /** What the script did, step by step, with what each step got. */
  steps: string[];
  /** One or two sentences on why it was accepted or refused. */
  why: string;
}

/** A token shortened for display: enough to recognise it, not to use it. */
export function shortened(token: string): string {
  return token.length > 16 ? `${token.slice(0, 10)}…` : token;
}

/** `200`, `400 invalid_grant`: status and error of an answer. */
export function statusOf(answer: { status: number; error?: string }): string {
  return answer.error ? `${answer.status} ${answer.error}` : String(answer.status);
}

export type LessonId = 'own-sign-in' | 'stolen-refresh-token';

/** A run as it goes: the steps done so far, and what it is doing now (null: nothing yet). */
export interface Progress {
  steps: readonly string[];
  doing: string | null;
}

/** Where a lesson reports its progress, so the page shows each step as it happens. */
export type ProgressReport = (progress: Progress) => void;

/** A lesson's steps: each one done is kept for the outcome and reported at once. */
export class StepLog {
  readonly steps: string[] = [];

  constructor(private readonly report: ProgressReport = () => undefined) {}

  done(step: string): void {
    this.steps.push(step);
    this.report({ steps: [...this.steps], doing: null });
  }

  /** What the lesson starts now (a request that may take seconds). */
  doing(what: string): void {
    this.report({ steps: [...this.steps], doing: what });
  }
}
