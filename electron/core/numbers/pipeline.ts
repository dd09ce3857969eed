// The pieces of the number-list import pipeline: sources (file, text, or text parts streamed in by the host),
// layout detection on the first 64 KB, record splitting (records.ts) into a sink, and the verdict sink (de-dup →
// batched SQLite writes). import-stages.ts runs them in worker threads; memory stays bounded because only the
// current piece, a few batches of rows and the index of seen numbers are held.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createNormalizer } from './normalize.ts';
import { detectDelimiter, detectLayout, sampleRecords, type Layout } from './detect.ts';
import { RecordSplitter } from './records.ts';
import { UserInputError } from '../errors.ts';
import { count } from '../../shared/plural.ts';
import { NumberIndex } from './number-index.ts';
import type { ListCounts, RowBatch, RowWriter, Verdict } from '../db/repos/number-lists-repo.ts';

export const BATCH_ROWS = 10_000;
/** Characters read before the layout is detected (and the most a preview looks at). */
export const SAMPLE_CHARS = 64 * 1024;
/** Pieces a text source is cut into, so progress moves and csv fallbacks never copy a whole text. */
const TEXT_PIECE = 1 << 20;

export interface Progress extends ListCounts {
  bytes?: number;
  totalBytes?: number;
}

export interface PipelineHooks {
  onProgress(p: Progress): void;
  isCancelled(): boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Assigns verdicts to normalised values (valid / invalid with reason / duplicate of line N) and writes rows in
 * batches, each with the list's counts after it.
 */
export class VerdictSink {
  // E.164 numbers have at most 15 digits, so their digits fit a double exactly (1M numbers ≈ 24 MB).
  private readonly seen = new NumberIndex();
  private readonly vseq: Record<Verdict, number> = { valid: 0, invalid: 0, duplicate: 0 };
  private batch: RowBatch = emptyBatch();
  private seq = 0;
  private lastReport = 0;
  private written: ListCounts = { total_rows: 0, valid_count: 0, invalid_count: 0, duplicate_count: 0 };

  constructor(
    private readonly writer: RowWriter,
    private readonly hooks: PipelineHooks,
    private readonly progressExtra: () => Partial<Progress> = () => ({}),
  ) {}

  add(line: number, raw: string, e164: string | null | undefined, reason: string | null | undefined): void {
    let verdict: Verdict;
    let dupOf: number | null = null;
    if (e164) {
      const first = this.seen.putIfAbsent(Number(e164.slice(1)), line);
      if (first < 0) {
        verdict = 'valid';
      } else {
        verdict = 'duplicate';
        dupOf = first;
      }
    } else verdict = 'invalid';
    const b = this.batch;
    b.seq.push(this.seq++);
    b.line.push(line);
    b.raw.push(raw);
    b.e164.push(e164 || null);
    b.verdict.push(verdict);
    b.vseq.push(this.vseq[verdict]++);
    b.reason.push(verdict === 'invalid' ? (reason ?? 'invalid') : null);
    b.duplicateOf.push(dupOf);
    if (b.seq.length >= BATCH_ROWS) this.flush();
  }

  throwIfCancelled(): void {
    if (this.hooks.isCancelled()) throw new CancelledError();
  }

  /** Writes the pending rows (with the counts after them) and reports progress at most every 200 ms. */
  flush(force = false): void {
    this.throwIfCancelled();
    const counts = this.counts();
    if (this.batch.seq.length) {
      this.writer.write(this.batch, counts);
      this.batch = emptyBatch();
    }
    this.written = counts;
    const now = performance.now();
    if (force || now - this.lastReport > 200) {
      this.lastReport = now;
      this.hooks.onProgress({ ...counts, ...this.progressExtra() });
    }
  }

  /** Counts of the rows already written (what the store holds after a cancel). */
  writtenCounts(): ListCounts {
    return this.written;
  }

  counts(): ListCounts {
    return { total_rows: this.seq, valid_count: this.vseq.valid, invalid_count: this.vseq.invalid, duplicate_count: this.vseq.duplicate };
  }
}

function emptyBatch(): RowBatch {
  return { seq: [], line: [], raw: [], e164: [], verdict: [], vseq: [], reason: [], duplicateOf: [] };
}

/** Normalises then records (line, raw) pairs: the whole pipeline in one thread (list edits). */
export function normalisingAdd(country: string, sink: VerdictSink): (line: number, raw: string) => void {
  const normalise = createNormalizer(country);
  return (line, raw) => {
    const n = normalise(raw);
    sink.add(line, raw, n.e164, n.reason);
  };
}

/**
 * Where an import reads from. 'parts' is text the host streams in (a browser upload), with the size the
 * client announced; the worker pulls parts from `parts` as it is ready for them.
 */
export type TextSource = { kind: 'file'; path: string } | { kind: 'text'; text: string } | { kind: 'parts'; totalBytes?: number };

/** One piece of source text and the bytes of the source it stands for. */
export interface Piece {
  text: string;
  bytes: number;
}

/** The pieces of a file (decoded as UTF-8 across chunk borders) or of a text. */
export async function* piecesOf(src: Exclude<TextSource, { kind: 'parts' }>): AsyncGenerator<Piece> {
  if (src.kind === 'text') {
    const t = src.text;
    for (let i = 0; i < t.length; ) {
      let end = Math.min(t.length, i + TEXT_PIECE);
      // Never cut a surrogate pair in two.
      if (end < t.length && (t.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      const text = t.slice(i, end);
      yield { text, bytes: Buffer.byteLength(text) };
      i = end;
    }
    return;
  }
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(src.path, { highWaterMark: 256 * 1024 })) {
    const buf = chunk as Buffer;
    yield { text: decoder.write(buf), bytes: buf.length };
  }
  const rest = decoder.end();
  if (rest) yield { text: rest, bytes: 0 };
}

export function totalBytesOf(src: TextSource): number | undefined {
  if (src.kind === 'file') return statSync(src.path).size;
  if (src.kind === 'text') return Buffer.byteLength(src.text);
  return src.totalBytes;
}

/** The first SAMPLE_CHARS of a file or text (for previews), and whether that is all of it. */
export function readSample(src: Exclude<TextSource, { kind: 'parts' }>): { sample: string; complete: boolean } {
  if (src.kind === 'text') return { sample: src.text.slice(0, SAMPLE_CHARS), complete: src.text.length <= SAMPLE_CHARS };
  const size = statSync(src.path).size;
  const fd = openSync(src.path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(SAMPLE_CHARS, size));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { sample: new StringDecoder('utf8').write(buf.subarray(0, n)), complete: n >= size };
  } finally {
    closeSync(fd);
  }
}

export type LayoutOptions = { column?: number; hasHeader?: boolean };

/**
 * Detects the layout of a sample (column/header overrides respected). Refuses, before any row is stored, what
 * cannot be a list of numbers: binary data, or a chosen column that the rows do not have.
 */
export function layoutOfSample(sample: string, complete: boolean, country: string, opts: LayoutOptions): { layout: Layout; records: string[][] } {
  if (sample.includes('\u0000')) {
    throw new UserInputError('This is not a text file: it holds binary data. Save the numbers as CSV or plain text (one number per line) and import that file.');
  }
  const delimiter = detectDelimiter(sample);
  const records = sampleRecords(sample, delimiter, complete);
  const layout = detectLayout(records, delimiter, country, opts);
  if (opts.column !== undefined && opts.column > layout.columns) {
    const first = layout.header ?? records[0] ?? [];
    const shown = first.length ? ` (first row: ${first.map((c) => JSON.stringify(c.length > 30 ? c.slice(0, 30) + '…' : c)).join(', ')})` : '';
    throw new UserInputError(`Column ${opts.column} does not exist: the rows have ${count(layout.columns, 'column')}${shown}. Choose a column from 1 to ${layout.columns}, or leave it out to detect it.`);
  }
  return { layout, records };
}

/** Detects the layout of a file or text from its first rows. */
export function layoutOf(src: Exclude<TextSource, { kind: 'parts' }>, country: string, opts: LayoutOptions): { layout: Layout; records: string[][] } {
  const { sample, complete } = readSample(src);
  return layoutOfSample(sample, complete, country, opts);
}

/** Where importPieces sends records. */
export interface RecordSink {
  add(line: number, raw: string): void;
  /** After each piece, with the source bytes consumed so far; may wait (backpressure) or throw CancelledError. */
  afterPiece(bytes: number): void | Promise<void>;
  /** Before the layout is known and when the source turns out empty. */
  throwIfCancelled(): void;
}

/**
 * Streams pieces through layout detection and the splitter into the sink; returns the layout. Each piece is
 * fully split before the next is pulled, so a part-by-part source never holds more than one part.
 */
export async function importPieces(pieces: AsyncIterable<Piece>, country: string, opts: LayoutOptions, sink: RecordSink, onLayout: (l: Layout) => void): Promise<Layout> {
  const it = pieces[Symbol.asyncIterator]();
  let head = '';
  let headBytes = 0;
  let ended = false;
  while (head.length < SAMPLE_CHARS) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head += r.value.text;
    headBytes += r.value.bytes;
  }
  sink.throwIfCancelled();
  if (head.trim() === '') throw new NothingToImportError();
  const { layout } = layoutOfSample(head.length > SAMPLE_CHARS ? head.slice(0, SAMPLE_CHARS) : head, ended && head.length <= SAMPLE_CHARS, country, opts);
  onLayout(layout);
  const splitter = new RecordSplitter(layout.delimiter, layout.column - 1, layout.hasHeader, (line, raw) => sink.add(line, raw));
  let bytes = headBytes;
  splitter.push(head);
  head = '';
  await sink.afterPiece(bytes);
  while (!ended) {
    const r = await it.next();
    if (r.done) break;
    splitter.push(r.value.text);
    bytes += r.value.bytes;
    await sink.afterPiece(bytes);
  }
  splitter.end();
  return layout;
}

export class NothingToImportError extends Error {
  constructor() {
    super('There is nothing to import: the text is empty. Choose a file with phone numbers, or paste some.');
  }
}
