// The stages of an import, each in its own worker thread: the reader (source → layout → records, and E.164: cheap
// for plain numbers, ~3–5 µs through libphonenumber for the rest), optional normalisers (more E.164 on more
// cores), and the writer (de-duplication → verdicts → SQLite). The insert is the only serial step: the writer never
// parses or normalises; the reader cuts batches and normalises them itself or hands them round-robin to the
// normalisers, which send them on to the writer (batches carry their index and the writer takes them in source
// order, so "duplicate of line N" always names the first line). Backpressure: the reader waits while too many
// batches are not yet written.
import type { MessagePort } from 'node:worker_threads';
import type { Db } from '../db/open.ts';
import { NumberListsRepo } from '../db/repos/number-lists-repo.ts';
import { createNormalizer } from './normalize.ts';
import { BATCH_ROWS, CancelledError, VerdictSink, importPieces, piecesOf, totalBytesOf, type Piece, type Progress, type RecordSink, type TextSource } from './pipeline.ts';
import type { Layout } from './detect.ts';
import type { ListCounts } from '../db/repos/number-lists-repo.ts';

export interface ImportRequest {
  op: 'import';
  dbPath: string;
  listId: string;
  source: TextSource;
  country: string;
  column?: number;
  hasHeader?: boolean;
  /** Normaliser workers beside the reader (the host picks from the cores; tests set it). */
  normalisers?: number;
}

export interface StageResult {
  counts?: ListCounts;
  layout?: Layout;
  cancelled?: boolean;
}

/** One batch of values in source order (parallel arrays clone faster than objects). */
export interface NormalisedBatch {
  /** Position of the batch in the source (0, 1, 2, …): the writer writes batches in this order. */
  index: number;
  lines: number[];
  raws: string[];
  /** Absent while the batch is on its way to a normaliser. */
  e164s?: (string | null)[];
  reasons?: (string | null)[];
  /** Source bytes consumed when the batch was cut (for progress). */
  bytes: number;
}

/** Reader → writer (and normaliser → writer for 'batch'). */
export type StageMessage =
  | { type: 'layout'; layout: Layout; totalBytes?: number }
  | { type: 'batch'; batch: NormalisedBatch }
  /** The source is done after `batches` batches (or the import was cancelled: the writer checks the flag). */
  | { type: 'end'; bytes: number; batches: number };

/** Reader → normaliser. */
export type NormaliserMessage = { type: 'batch'; batch: NormalisedBatch } | { type: 'end' };

/** Batches cut and not yet written, per normalising thread, before the reader waits (each ~10,000 rows). */
const BATCHES_IN_FLIGHT_PER_THREAD = 3;

/** Cuts records into batches; normalises its share and hands the rest round-robin to the normalisers. */
class BatchSender implements RecordSink {
  private readonly normalise: ReturnType<typeof createNormalizer>;
  private lines: number[] = [];
  private raws: string[] = [];
  private bytes = 0;
  private index = 0;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private wake: (() => void) | undefined;

  constructor(
    country: string,
    private readonly writer: MessagePort,
    private readonly normalisers: MessagePort[],
    private readonly isCancelled: () => boolean,
  ) {
    this.normalise = createNormalizer(country);
    this.maxInFlight = BATCHES_IN_FLIGHT_PER_THREAD * (normalisers.length + 1);
    writer.on('message', () => {
      this.inFlight--;
      this.wake?.();
    });
  }

  add(line: number, raw: string): void {
    this.lines.push(line);
    this.raws.push(raw);
    if (this.lines.length >= BATCH_ROWS) this.send();
  }

  throwIfCancelled(): void {
    if (this.isCancelled()) throw new CancelledError();
  }

  async afterPiece(bytes: number): Promise<void> {
    this.bytes = bytes;
    this.throwIfCancelled();
    while (this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  send(): void {
    if (this.lines.length === 0) return;
    const batch: NormalisedBatch = { index: this.index, lines: this.lines, raws: this.raws, bytes: this.bytes };
    const turn = this.index % (this.normalisers.length + 1);
    if (turn === 0) {
      Object.assign(batch, normaliseAll(this.normalise, this.raws));
      this.writer.postMessage({ type: 'batch', batch } satisfies StageMessage);
    } else this.normalisers[turn - 1]!.postMessage({ type: 'batch', batch } satisfies NormaliserMessage);
    this.index++;
    this.inFlight++;
    this.lines = [];
    this.raws = [];
  }

  /** No more batches; `bytes` defaults to the source bytes consumed. */
  end(bytes = this.bytes): void {
    for (const n of this.normalisers) n.postMessage({ type: 'end' } satisfies NormaliserMessage);
    this.writer.postMessage({ type: 'end', bytes, batches: this.index } satisfies StageMessage);
  }
}

function normaliseAll(normalise: ReturnType<typeof createNormalizer>, raws: string[]): { e164s: (string | null)[]; reasons: (string | null)[] } {
  const e164s = new Array<string | null>(raws.length);
  const reasons = new Array<string | null>(raws.length);
  for (let i = 0; i < raws.length; i++) {
    const n = normalise(raws[i]!);
    e164s[i] = n.e164 ?? null;
    reasons[i] = n.reason ?? null;
  }
  return { e164s, reasons };
}

/**
 * A normaliser stage: E.164 for each batch the reader hands it, sent on to the writer. Resolves when the reader
 * says there are no more batches.
 */
export function normaliseStage(country: string, input: MessagePort, writer: MessagePort): Promise<void> {
  const normalise = createNormalizer(country);
  return new Promise<void>((resolve) => {
    input.on('message', (m: NormaliserMessage) => {
      if (m.type === 'end') {
        input.close();
        writer.close();
        resolve();
        return;
      }
      const batch = { ...m.batch, ...normaliseAll(normalise, m.batch.raws) };
      writer.postMessage({ type: 'batch', batch } satisfies StageMessage);
    });
  });
}

/**
 * The reader stage. Resolves when everything has been sent to the writer (the writer's result is the
 * import's result); on cancel it tells the writer to stop.
 */
export async function readStage(req: ImportRequest, port: MessagePort, normalisers: MessagePort[], pieces: AsyncIterable<Piece> | undefined, isCancelled: () => boolean): Promise<void> {
  const sender = new BatchSender(req.country, port, normalisers, isCancelled);
  const opts = { ...(req.column !== undefined ? { column: req.column } : {}), ...(req.hasHeader !== undefined ? { hasHeader: req.hasHeader } : {}) };
  const totalBytes = totalBytesOf(req.source);
  const source = pieces ?? piecesOf(req.source as Exclude<TextSource, { kind: 'parts' }>);
  try {
    await importPieces(source, req.country, opts, sender, (layout) => port.postMessage({ type: 'layout', layout, ...(totalBytes !== undefined ? { totalBytes } : {}) } satisfies StageMessage));
    sender.send();
    sender.end(totalBytes);
  } catch (e) {
    // The writer keeps what it has written and ends the list as cancelled.
    if (e instanceof CancelledError) sender.end();
    else throw e;
  }
}

/**
 * The writer stage: owns the list's rows and state in the store. Takes batches from the reader (`port`) and the
 * normalisers (`fromNormalisers`) in source order, and acknowledges each one to the reader once written so the
 * reader can cut more. Resolves with the final counts (cancelled when the cancel flag was set).
 */
export function writeStage(db: Db, req: ImportRequest, port: MessagePort, fromNormalisers: MessagePort[], isCancelled: () => boolean, onProgress: (p: Progress) => void): Promise<StageResult> {
  const repo = new NumberListsRepo(db);
  const now = () => Date.now();
  let bytes = 0;
  let totalBytes: number | undefined;
  let layout: Layout | undefined;
  const sink = new VerdictSink(repo.writer(req.listId), { onProgress, isCancelled }, () => ({ bytes, ...(totalBytes !== undefined ? { totalBytes } : {}) }));
  // Batches that arrived ahead of their turn (from another normaliser), by index.
  const early = new Map<number, NormalisedBatch>();
  let next = 0;
  let end: { bytes: number; batches: number } | undefined;
  return new Promise<StageResult>((resolve, reject) => {
    let done = false;
    const finish = (r: StageResult | Error) => {
      if (done) return;
      done = true;
      port.close();
      for (const p of fromNormalisers) p.close();
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    const write = (b: NormalisedBatch) => {
      const e164s = b.e164s!;
      const reasons = b.reasons!;
      for (let i = 0; i < b.lines.length; i++) sink.add(b.lines[i]!, b.raws[i]!, e164s[i], reasons[i]);
      bytes = b.bytes;
      sink.flush();
      port.postMessage('ack');
    };
    const step = (m: StageMessage) => {
      if (done) return;
      try {
        if (m.type === 'layout') {
          layout = m.layout;
          totalBytes = m.totalBytes;
          repo.setMeta(req.listId, { default_country: req.country, column_index: layout.columns > 1 ? layout.column : null, has_header: layout.hasHeader ? 1 : 0 }, now());
          return;
        }
        if (m.type === 'batch') early.set(m.batch.index, m.batch);
        else {
          end = { bytes: m.bytes, batches: m.batches };
          sink.throwIfCancelled();
        }
        for (let b = early.get(next); b; b = early.get(next)) {
          early.delete(next++);
          write(b);
        }
        if (end && next >= end.batches) {
          bytes = totalBytes ?? end.bytes;
          sink.flush(true);
          const counts = sink.counts();
          repo.setCounts(req.listId, counts, now());
          repo.setState(req.listId, 'ready', null, now());
          finish({ counts, ...(layout ? { layout } : {}) });
        }
      } catch (e) {
        const counts = sink.writtenCounts();
        try {
          repo.setCounts(req.listId, counts, now());
          if (e instanceof CancelledError) repo.setState(req.listId, 'cancelled', 'The import was cancelled; the rows read so far are kept.', now());
        } catch {
          // The store is failing; the import fails with the first error.
        }
        finish(e instanceof CancelledError ? { counts, ...(layout ? { layout } : {}), cancelled: true } : (e as Error));
      }
    };
    port.on('message', step);
    for (const p of fromNormalisers) p.on('message', step);
  });
}
