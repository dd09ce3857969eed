// Layout detection for number files: the delimiter, whether the first row is a header, and which column
// holds the phone numbers (the one with most parseable numbers in the first rows). Pure functions.
import { createNormalizer } from './normalize.ts';
import { CSV_OPTIONS } from './records.ts';
import { lazyRequire } from '../lazy-require.ts';

const csvSync = lazyRequire<typeof import('csv-parse/sync')>('csv-parse/sync');

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export const SAMPLE_ROWS = 200;

export interface Layout {
  delimiter: Delimiter;
  /** Number of columns seen in the sample (max). */
  columns: number;
  /** 1-based column the numbers come from. */
  column: number;
  hasHeader: boolean;
  /** Header names when there is a header. */
  header?: string[];
  /** Per column: how many sample values parsed as valid numbers. */
  scores: number[];
}

/** Picks the delimiter that splits the sample lines most consistently (plain text falls back to ','). */
export function detectDelimiter(sample: string): Delimiter {
  const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 50);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const withIt = counts.filter((c) => c > 0).length;
    if (withIt === 0) continue;
    // Most lines must contain it; prefer delimiters that appear the same number of times on each line.
    const mode = modeOf(counts);
    const consistent = counts.filter((c) => c === mode && c > 0).length;
    const score = consistent * 2 + withIt;
    if (withIt >= Math.ceil(lines.length * 0.6) && score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

function modeOf(values: number[]): number {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  let best = 0;
  let bestCount = -1;
  for (const [v, c] of m) if (c > bestCount) [best, bestCount] = [v, c];
  return best;
}

/** Parses the first rows of a sample (the last line may be cut off, so it is dropped when incomplete). */
export function sampleRecords(sample: string, delimiter: Delimiter, complete: boolean, limit = SAMPLE_ROWS + 1): string[][] {
  let text = sample.replace(/^\uFEFF/, '');
  if (!complete) {
    const cut = text.lastIndexOf('\n');
    if (cut > 0) text = text.slice(0, cut);
  }
  // The same reading as the import itself (records.ts), so the detected column is the one imported.
  const records = csvSync().parse(text, { ...CSV_OPTIONS, delimiter, to: limit, skip_records_with_error: true }) as string[][];
  return records;
}

/**
 * Detects the layout. `column` (1-based) and `hasHeader` override detection when given.
 * A header is assumed only when the first row's number cell is a label: it does not parse, and it has no run of
 * digits that looks like a phone number (an invalid number on the first row stays a row). When that cell is
 * empty, the first row is a header only if none of its cells holds a digit.
 */
export function detectLayout(records: string[][], delimiter: Delimiter, country: string, opts: { column?: number; hasHeader?: boolean } = {}): Layout {
  const normalise = createNormalizer(country);
  const columns = records.reduce((m, r) => Math.max(m, r.length), 0) || 1;
  const scoreOf = (rows: string[][]) => {
    const scores = new Array<number>(columns).fill(0);
    for (const r of rows) r.forEach((v, i) => {
      if (v && normalise(v).e164) scores[i] = (scores[i] ?? 0) + 1;
    });
    return scores;
  };
  const scores = scoreOf(records.slice(0, SAMPLE_ROWS));
  let column = opts.column;
  if (column === undefined) {
    let best = 0;
    scores.forEach((s, i) => {
      if (s > (scores[best] ?? 0)) best = i;
    });
    // Nothing parses anywhere: take the column with most digits so the user sees why in the verdicts.
    if ((scores[best] ?? 0) === 0) best = mostDigitsColumn(records, columns);
    column = best + 1;
  }
  let hasHeader = opts.hasHeader;
  if (hasHeader === undefined) {
    const row = records[0] ?? [];
    const first = row[column - 1] ?? '';
    hasHeader = first === '' ? row.some((v) => v !== '') && !row.some((v) => /\d/.test(v)) : normalise(first).e164 === undefined && isLabel(first);
  }
  return {
    delimiter,
    columns,
    column,
    hasHeader,
    ...(hasHeader ? { header: records[0] ?? [] } : {}),
    scores,
  };
}

// Three or more digits, with the separators phone numbers are written with between them.
const PHONE_DIGITS = /\d(?:[\s()./-]*\d){2,}/;
const LETTER = /\p{L}/u;

/** A header cell: words ('Phone', 'Phone 2', 'n/a') but never something written like a (possibly bad) number. */
export function isLabel(cell: string): boolean {
  return !PHONE_DIGITS.test(cell) && (LETTER.test(cell) || !/\d/.test(cell));
}

function mostDigitsColumn(records: string[][], columns: number): number {
  const digits = new Array<number>(columns).fill(0);
  for (const r of records.slice(0, SAMPLE_ROWS)) r.forEach((v, i) => (digits[i] = (digits[i] ?? 0) + (v.match(/\d/g)?.length ?? 0)));
  let best = 0;
  digits.forEach((d, i) => {
    if (d > (digits[best] ?? 0)) best = i;
  });
  return best;
}
