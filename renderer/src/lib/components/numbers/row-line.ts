// One row of a number list as one line of monospace text: each value cut to its column's width in characters (with
// '…' where cut) and padded to it, so the columns line up with the header without a box per cell.
//
// Why text and not cells: a row of five cell boxes cost five inline layouts every time a recycled row showed another
// row while scrolling; one line of text is one (docs/benchmarks-history.md "Number list frames", eighth pass).
// Widths are display widths (Unicode East Asian Width: a wide character takes two columns, a combining mark none), and
// a value is only ever cut between grapheme clusters, so a surrogate pair or a letter and its accent stay whole.
import { eastAsianWidth } from 'get-east-asian-width';

export interface Column {
  label: string;
  /** Characters, the space before the next column included. */
  width: number;
  /** Whether a value cut in this column shows its whole text as a tooltip. */
  tip: boolean;
}

/** The columns, left to right: shared by the header and the rows so that they line up. */
export const COLUMNS: readonly Column[] = [
  { label: 'Line', width: 9, tip: false },
  { label: 'As written', width: 25, tip: true },
  { label: 'E.164', width: 18, tip: false },
  { label: 'Verdict', width: 11, tip: false },
  { label: 'Note', width: 40, tip: true },
];

/** The row's values in column order (line, as written, E.164, verdict, note). */
export type RowValues = readonly [string, string, string, string, string];

/** Printable ASCII only: one column per character in any monospace font, no bidirectional text, no control. */
const PLAIN = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Marks, format characters and the like take no column of their own. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]/u;
/** Line breaks and tabs would break or stretch the line (`white-space: pre`); shown as a space. */
const SPACES = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

export function isPlain(text: string): boolean {
  return PLAIN.test(text);
}

function graphemeWidth(g: string): number {
  if (ZERO_WIDTH.test(g)) return 0;
  return eastAsianWidth(g.codePointAt(0)!);
}

/** Columns `text` takes in a monospace font. */
export function displayWidth(text: string): number {
  if (isPlain(text)) return text.length;
  let w = 0;
  for (const { segment } of segmenter.segment(text)) w += graphemeWidth(segment);
  return w;
}

/**
 * `text` as shown in a column of `width` characters: cut with '…' when it would not leave a space before the next
 * column, then padded with spaces to `width` (unless `pad` is false).
 */
export function fit(text: string, width: number, pad = true): string {
  const room = width - 1;
  let shown = text;
  let used: number;
  if (isPlain(text)) {
    if (text.length > room) shown = text.slice(0, room - 1) + '…';
    used = shown.length;
  } else {
    shown = text.replace(SPACES, ' ');
    used = displayWidth(shown);
    if (used > room) {
      let cut = '';
      used = 0;
      for (const { segment } of segmenter.segment(shown)) {
        const w = graphemeWidth(segment);
        if (used + w > room - 1) break;
        cut += segment;
        used += w;
      }
      shown = cut + '…';
      used += 1;
    }
  }
  return pad ? shown + ' '.repeat(width - used) : shown;
}

/** The header line. */
export const HEADER = COLUMNS.map((c, i) => fit(c.label, c.width, i < COLUMNS.length - 1)).join('');

/** The column under a point `ch` characters from the start of the line (-1 before it, the last column after it). */
export function columnAt(ch: number): number {
  if (ch < 0) return -1;
  let end = 0;
  for (let c = 0; c < COLUMNS.length; c++) {
    end += COLUMNS[c]!.width;
    if (ch < end) return c;
  }
  return COLUMNS.length - 1;
}
