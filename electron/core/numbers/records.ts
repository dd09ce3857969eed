// Turns number-file text, fed chunk by chunk, into (source line, raw value) pairs for one column. Lines
// without quotes take a fast path (split on the delimiter, trimmed exactly as csv-parse trims); from the first
// line holding a quote or a lone CR on, the rest goes through csv-parse, so quoted CSV keeps its semantics.
import { lazyRequire } from '../lazy-require.ts';

const csvParse = lazyRequire<typeof import('csv-parse')>('csv-parse');

export type OnValue = (line: number, raw: string) => void;

export const CSV_OPTIONS = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  trim: true,
} as const;

const CR = 13;

/** csv-parse trims only tab, form feed and space at the start of a field (and all JS whitespace at its end). */
function ltrim(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 12) break;
  }
  return i === 0 ? s : s.slice(i);
}

function trimField(s: string): string {
  return ltrim(s).trimEnd();
}

/** A line csv-parse skips as empty (skip_empty_lines with trim): nothing but spaces, tabs and form feeds. */
function isBlankLine(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 12) return false;
  }
  return true;
}

/** A line the fast path cannot split exactly: quotes, or a CR that is not part of the line ending. */
function needsCsv(line: string): boolean {
  return line.indexOf('"') >= 0 || line.indexOf('\r') >= 0;
}

interface CsvApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { lines: number };
}

export class RecordSplitter {
  private carry = '';
  /** Lines consumed by the fast path (the csv tail counts its own from here). */
  private lines = 0;
  private started = false;
  private first = true;
  private csv: CsvApi | undefined;
  private csvOffset = 0;
  /** The first line ending seen: what csv-parse would have taken as the record delimiter for the whole text. */
  private eol: '\n' | '\r\n' | undefined;

  /**
   * @param column 0-based column holding the numbers
   * @param skipFirst the first record is a header
   */
  constructor(
    private readonly delimiter: string,
    private readonly column: number,
    private readonly skipFirst: boolean,
    private readonly onValue: OnValue,
  ) {}

  push(text: string): void {
    if (text === '') return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.csv) return this.feedCsv(text);
    const buf = this.carry === '' ? text : this.carry + text;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && buf.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      const line = buf.slice(start, end);
      if (needsCsv(line)) return this.switchToCsv(buf.slice(start));
      this.eol ??= end === nl ? '\n' : '\r\n';
      this.lines++;
      this.record(line);
      start = nl + 1;
    }
    this.carry = start === 0 ? buf : buf.slice(start);
    // A quote or a lone CR in the unfinished line: switch now (a CR at the very end may be half of CRLF).
    const c = this.carry;
    if (c.indexOf('"') >= 0 || c.lastIndexOf('\r', c.length - 2) >= 0) this.switchToCsv(c);
  }

  end(): void {
    if (this.csv) {
      const err = this.csv.parse(undefined, true, (r) => this.csvRecord(r), () => {});
      if (err) throw err;
      return;
    }
    if (this.carry === '') return;
    let line = this.carry;
    this.carry = '';
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    if (needsCsv(line)) {
      this.switchToCsv(line);
      return this.end();
    }
    this.lines++;
    this.record(line);
  }

  private record(line: string): void {
    if (isBlankLine(line)) return;
    if (this.first) {
      this.first = false;
      if (this.skipFirst) return;
    }
    // The wanted field without splitting the whole line (the delimiter is one character).
    const d = this.delimiter;
    let from = 0;
    for (let c = 0; c < this.column && from >= 0; c++) {
      const i = line.indexOf(d, from);
      from = i < 0 ? -1 : i + 1;
    }
    let raw = '';
    if (from >= 0) {
      const end = line.indexOf(d, from);
      raw = trimField(from === 0 && end < 0 ? line : line.slice(from, end < 0 ? line.length : end));
    }
    if (raw === '' && line.split(this.delimiter).every((f) => trimField(f) === '')) return;
    this.onValue(this.lines, raw);
  }

  private switchToCsv(rest: string): void {
    this.carry = '';
    this.csvOffset = this.lines;
    const parser = new (csvParse().Parser)({ ...CSV_OPTIONS, delimiter: this.delimiter, bom: false, info: false, ...(this.eol ? { record_delimiter: this.eol } : {}) });
    const api = (parser as unknown as { api?: CsvApi }).api;
    if (!api || typeof api.parse !== 'function') throw new Error('This csv-parse version has no synchronous parser API; the number import needs csv-parse 6.');
    this.csv = api;
    this.feedCsv(rest);
  }

  private feedCsv(text: string): void {
    const err = this.csv!.parse(Buffer.from(text), false, (r) => this.csvRecord(r), () => {});
    if (err) throw err;
  }

  private csvRecord(fields: string[]): void {
    // csv-parse calls push synchronously at the end of each record, so its running line count is this
    // record's last line (what `info.lines` would say, without building an info object per record).
    const line = this.csvOffset + this.csv!.info.lines;
    if (this.first) {
      this.first = false;
      if (this.skipFirst) return;
    }
    const raw = fields[this.column] ?? '';
    if (raw === '' && fields.every((v) => v === '')) return;
    this.onValue(line, raw);
  }
}

/** Whole-text helper (tests, small inputs): every (line, raw) of a text. */
export function splitText(text: string, delimiter: string, column: number, skipFirst: boolean): { line: number; raw: string }[] {
  const out: { line: number; raw: string }[] = [];
  const s = new RecordSplitter(delimiter, column, skipFirst, (line, raw) => out.push({ line, raw }));
  s.push(text);
  s.end();
  return out;
}
