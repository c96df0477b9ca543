/** What one of the attack lab's script-in-the-page lessons came to. */
export interface LessonOutcome {
  /** Whether the script got what it was after. */
  accepted: boolean;
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
