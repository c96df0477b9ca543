/** The figures a benchmark reports, the Markdown table, and bench/results.json. */
import { readFile, writeFile } from 'node:fs/promises';

export interface Figure {
  value: number;
  unit: string;
  /** The same figure for the comparisons, by name. */
  compare?: Record<string, number>;
  /** The goal, e.g. `≤ 1.5`; checked against `value`. */
  goal?: { op: '≤' | '≥'; limit: number };
  /** Printed under the table. */
  notes?: string[];
  /** `false`: the ratio DPoP Lab ÷ comparison means nothing here (not written to results.json). */
  ratio?: false;
}

export type Figures = Record<string, Figure>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The q-quantile (0…1) by linear interpolation. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function goalMet(figure: Figure): boolean | undefined {
  if (!figure.goal) return undefined;
  return figure.goal.op === '≤'
    ? figure.value <= figure.goal.limit
    : figure.value >= figure.goal.limit;
}

function show(value: number, unit: string): string {
  const digits =
    Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
  return unit === '×' ? `${text}×` : `${text} ${unit}`;
}

/**
 * One row per figure and comparison: figure, DPoP Lab, compared with, its value, ratio
 * (DPoP Lab ÷ comparison), goal.
 */
export function markdownTable(figures: Figures): string {
  const rows = [
    '| figure | DPoP Lab | compared with | its value | ratio | goal |',
    '| --- | --: | --- | --: | --: | --- |',
  ];
  for (const [name, figure] of Object.entries(figures)) {
    const met = goalMet(figure);
    const goal = figure.goal ? `${figure.goal.op} ${figure.goal.limit} ${met ? '✅' : '❌'}` : '';
    const compares = Object.entries(figure.compare ?? {});
    if (compares.length === 0) {
      rows.push(`| \`${name}\` | ${show(figure.value, figure.unit)} | | | | ${goal} |`);
      continue;
    }
    compares.forEach(([who, value], index) => {
      const ratio =
        value === 0 || figure.unit === '×' || figure.ratio === false
          ? ''
          : `${round(figure.value / value, 2)}×`;
      rows.push(
        index === 0
          ? `| \`${name}\` | ${show(figure.value, figure.unit)} | ${who} | ${show(value, figure.unit)} | ${ratio} | ${goal} |`
          : `| | | ${who} | ${show(value, figure.unit)} | ${ratio} | |`,
      );
    });
  }
  return rows.join('\n');
}

/** `{"name": {"value": n, "unit": "…", "compare": {"who": n}}}`, merged into what is there. */
export async function writeResults(path: string, figures: Figures): Promise<void> {
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // First run, or an unreadable file: start afresh.
  }
  const plain: Record<string, unknown> = { ...existing };
  for (const [name, { value, unit, compare }] of Object.entries(figures)) {
    plain[name] = compare ? { value, unit, compare } : { value, unit };
  }
  await writeFile(path, `${JSON.stringify(plain, null, 2)}\n`);
}
