/**
 * The text table of `npm run conformance`, printed a row at a time as the checks complete: the
 * column widths come from the catalogue, so they are known before the first answer. A row that
 * fails or warns says, on the line under it, why and what the failure lets happen (a replay, a
 * forged proof, or nothing: issue 20). What the server said (the `this server` cell, and a note
 * that may quote its error_description) goes through terminalText: no escape sequence, and a
 * bounded length (issue 19).
 */
import { CONFORMANCE_CHECKS, resultLabel, type CheckResult } from '@dpop-lab/protocol/conformance';
import { terminalText } from './terminal-text.ts';

/** The longest `this server` cell: a status and an error code, e.g. `401 invalid_dpop_proof`. */
const MAX_OBSERVED = 60;
/** The longest note: ours, quoting at most one error_description, and what the failure means. */
const MAX_NOTE = 600;

const HEADINGS = [
  'result',
  'check',
  'level',
  'reference',
  'a conforming server',
  'this server',
] as const;

const widthOf = (values: readonly string[]) => Math.max(...values.map((value) => value.length));

const WIDTHS = [
  widthOf([HEADINGS[0], 'pass', 'fail', 'warn', 'n/a']),
  widthOf([HEADINGS[1], ...CONFORMANCE_CHECKS.map((check) => check.title)]),
  widthOf([HEADINGS[2], ...CONFORMANCE_CHECKS.map((check) => check.level)]),
  widthOf([HEADINGS[3], ...CONFORMANCE_CHECKS.map((check) => check.reference)]),
  widthOf([HEADINGS[4], ...CONFORMANCE_CHECKS.map((check) => check.expected)]),
];

function line(cells: readonly string[]): string {
  return cells
    .map((cell, index) => cell.padEnd(WIDTHS[index] ?? 0))
    .join('  ')
    .trimEnd();
}

export function tableHeading(): string {
  return `${line(HEADINGS)}\n${line(HEADINGS.map((heading, index) => '-'.repeat(WIDTHS[index] ?? heading.length)))}`;
}

/** Why a row is not a pass: its note, and for a failure what it lets happen. */
function explanation(result: CheckResult, label: string): string | undefined {
  if (label === 'pass') return undefined;
  const said = label === 'n/a' ? [result.note] : [result.note, result.risk];
  const text = said.filter(Boolean).join(' — ');
  return text ? terminalText(text, MAX_NOTE) : undefined;
}

/**
 * Prints rows: each one, and under it why it failed, warned or did not apply — once, when the
 * rows after it have the same note (the rows not run after a stop).
 */
export function tableRows(): (result: CheckResult) => string {
  let lastNote: string | undefined;
  return (result) => {
    const label = resultLabel(result);
    const observed = terminalText(result.observed, MAX_OBSERVED);
    const row = line([
      label,
      result.title,
      result.level,
      result.reference,
      result.expected,
      observed,
    ]);
    const note = explanation(result, label);
    const repeated = label === 'n/a' && note === lastNote;
    lastNote = note;
    return note && !repeated ? `${row}\n${' '.repeat((WIDTHS[0] ?? 0) + 2)}↳ ${note}` : row;
  };
}
