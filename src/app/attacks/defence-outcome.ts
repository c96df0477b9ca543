/**
 * What an attack came to, from the defence's side — the words and colour every result of the lab
 * is shown in: green when the defence did its job (Blocked), red when a thief's request worked
 * (Got through), and grey for an answer that says neither.
 */
export type DefenceOutcome = 'blocked' | 'got-through' | 'no-answer' | 'server-error';

/** The outcome of the answer that decided an attack: its HTTP status (0: no answer). */
export function outcomeOfStatus(status: number): DefenceOutcome {
  if (status === 0) return 'no-answer';
  if (status >= 500) return 'server-error';
  return status < 400 ? 'got-through' : 'blocked';
}

export const OUTCOME_WORDS: Readonly<Record<DefenceOutcome, string>> = {
  blocked: 'Blocked',
  'got-through': 'Got through',
  'no-answer': 'No answer',
  'server-error': 'Server error',
};
