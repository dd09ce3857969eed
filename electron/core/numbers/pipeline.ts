// The number-list import pipeline: source (file, text or existing rows) → csv-parse stream → E.164 verdicts
// with de-duplication → batched SQLite writes. Runs inside the import worker; memory stays bounded because
// only one batch of rows and the set of seen numbers are held.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { createNormalizer } from './normalize.ts';
import { detectDelimiter, detectLayout, sampleRecords, type Layout } from './detect.ts';
import type { ListCounts, ListRowRecord, RowWriter, Verdict } from '../db/repos/number-lists-repo.ts';

export const BATCH_ROWS = 10_000;
const SAMPLE_BYTES = 64 * 1024;

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

/** Assigns verdicts (valid / invalid with reason / duplicate of line N) and writes rows in batches. */
export class VerdictSink {
  private readonly normalise: (raw: string) => { e164?: string | undefined; reason?: string | undefined };
  // E.164 numbers have at most 15 digits, so they fit a double exactly: numeric keys keep the
  // de-duplication map at ~40 bytes per number instead of a string per entry (1M rows ≈ 40 MB).
  private readonly seen = new Map<number, number>();
  private readonly vseq: Record<Verdict, number> = { valid: 0, invalid: 0, duplicate: 0 };
  private batch: ListRowRecord[] = [];
  private seq = 0;
  private lastReport = 0;
  private written: ListCounts = { total_rows: 0, valid_count: 0, invalid_count: 0, duplicate_count: 0 };

  constructor(
    country: string,
    private readonly writer: RowWriter,
    private readonly hooks: PipelineHooks,
    private readonly progressExtra: () => Partial<Progress> = () => ({}),
  ) {
    this.normalise = createNormalizer(country);
  }

  add(line: number, raw: string): void {
    const n = this.normalise(raw);
    let verdict: Verdict;
    let dupOf: number | null = null;
    if (n.e164 !== undefined) {
      const key = Number(n.e164.slice(1));
      const first = this.seen.get(key);
      if (first === undefined) {
        this.seen.set(key, line);
        verdict = 'valid';
      } else {
        verdict = 'duplicate';
        dupOf = first;
      }
    } else verdict = 'invalid';
    this.batch.push({
      seq: this.seq++,
      line,
      raw,
      e164: n.e164 ?? null,
      verdict,
      vseq: this.vseq[verdict]++,
      reason: verdict === 'invalid' ? (n.reason ?? 'invalid') : null,
      duplicate_of_line: dupOf,
    });
    if (this.batch.length >= BATCH_ROWS) this.flush();
  }

  flush(): void {
    if (this.hooks.isCancelled()) throw new CancelledError();
    if (this.batch.length) this.writer.write(this.batch);
    this.batch = [];
    this.written = this.counts();
    const now = performance.now();
    if (now - this.lastReport > 200) {
      this.lastReport = now;
      this.hooks.onProgress({ ...this.counts(), ...this.progressExtra() });
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

export type TextSource = { kind: 'file'; path: string } | { kind: 'text'; text: string };

export function readSample(src: TextSource): { sample: string; complete: boolean; totalBytes: number } {
  if (src.kind === 'text') return { sample: src.text.slice(0, SAMPLE_BYTES), complete: src.text.length <= SAMPLE_BYTES, totalBytes: Buffer.byteLength(src.text) };
  const totalBytes = statSync(src.path).size;
  const fd = openSync(src.path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, totalBytes));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { sample: buf.subarray(0, n).toString('utf8'), complete: n >= totalBytes, totalBytes };
  } finally {
    closeSync(fd);
  }
}

/** Detects the layout of a source from its first rows (column/header overrides respected). */
export function layoutOf(src: TextSource, country: string, opts: { column?: number; hasHeader?: boolean }): { layout: Layout; records: string[][]; totalBytes: number } {
  const { sample, complete, totalBytes } = readSample(src);
  const delimiter = detectDelimiter(sample);
  const records = sampleRecords(sample, delimiter, complete);
  return { layout: detectLayout(records, delimiter, country, opts), records, totalBytes };
}

/** Streams a file or text through csv-parse into the sink; returns the final counts. */
export async function importText(src: TextSource, layout: Layout, sink: VerdictSink, setBytes: (b: number) => void): Promise<ListCounts> {
  const input = src.kind === 'file' ? createReadStream(src.path, { highWaterMark: 256 * 1024 }) : Readable.from([src.text]);
  let bytes = 0;
  input.on('data', (chunk: Buffer | string) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    setBytes(bytes);
  });
  const parser = parse({
    delimiter: layout.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
    info: true,
  });
  const col = layout.column - 1;
  let first = true;
  await new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) => {
      input.destroy();
      parser.destroy();
      reject(e);
    };
    parser.on('readable', () => {
      try {
        let item: { record: string[]; info: { lines: number } } | null;
        while ((item = parser.read() as typeof item) !== null) {
          if (first) {
            first = false;
            if (layout.hasHeader) continue;
          }
          const raw = item.record[col] ?? '';
          if (raw === '' && item.record.every((v) => v === '')) continue;
          sink.add(item.info.lines, raw);
        }
      } catch (e) {
        fail(e);
      }
    });
    parser.on('error', fail);
    parser.on('end', () => resolve());
    input.on('error', fail);
    input.pipe(parser);
  });
  sink.flush();
  return sink.counts();
}
