// The two stages of an import, each in its own worker thread so they run on two cores: the reader (source →
// layout → records → E.164 with libphonenumber, the costly part) and the writer (de-duplication → verdicts →
// SQLite). The reader sends batches straight to the writer over a MessagePort, with backpressure. E.164
// normalisation is shared: a batch cut while the writer has nothing queued goes raw and the writer normalises
// it, so neither thread idles while the other is the bottleneck (it adapts to whatever else runs).
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
}

export interface StageResult {
  counts?: ListCounts;
  layout?: Layout;
  cancelled?: boolean;
}

/** One batch of values in source order (parallel arrays clone faster than objects). */
export interface NormalisedBatch {
  lines: number[];
  raws: string[];
  /** Absent when the writer is to normalise the batch. */
  e164s?: (string | null)[];
  reasons?: (string | null)[];
  /** Source bytes consumed when the batch was cut (for progress). */
  bytes: number;
}

/** Reader → writer. */
export type StageMessage =
  | { type: 'layout'; layout: Layout; totalBytes?: number }
  | { type: 'batch'; batch: NormalisedBatch }
  /** The source is done (or the import was cancelled: the writer checks the flag). */
  | { type: 'end'; bytes: number };

/** Batches the reader may have sent and the writer not yet written before the reader waits. */
const BATCHES_IN_FLIGHT = 3;

/** Sends records to the writer in batches, normalised here unless the writer is idle. */
class BatchSender implements RecordSink {
  private readonly normalise: ReturnType<typeof createNormalizer>;
  private lines: number[] = [];
  private raws: string[] = [];
  private bytes = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;

  constructor(
    country: string,
    private readonly port: MessagePort,
    private readonly isCancelled: () => boolean,
  ) {
    this.normalise = createNormalizer(country);
    port.on('message', () => {
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
    while (this.inFlight >= BATCHES_IN_FLIGHT) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  send(): void {
    if (this.lines.length === 0) return;
    const batch: NormalisedBatch = { lines: this.lines, raws: this.raws, bytes: this.bytes };
    if (this.inFlight > 0) Object.assign(batch, normaliseAll(this.normalise, this.raws));
    this.port.postMessage({ type: 'batch', batch } satisfies StageMessage);
    this.inFlight++;
    this.lines = [];
    this.raws = [];
  }

  /** No more batches; `bytes` defaults to the source bytes consumed. */
  end(bytes = this.bytes): void {
    this.port.postMessage({ type: 'end', bytes } satisfies StageMessage);
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
 * The reader stage. Resolves when everything has been sent to the writer (the writer's result is the
 * import's result); on cancel it tells the writer to stop.
 */
export async function readStage(req: ImportRequest, port: MessagePort, pieces: AsyncIterable<Piece> | undefined, isCancelled: () => boolean): Promise<void> {
  const sender = new BatchSender(req.country, port, isCancelled);
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
 * The writer stage: owns the list's rows and state in the store. Acknowledges each batch once written so the
 * reader can send more. Resolves with the final counts (cancelled when the cancel flag was set).
 */
export function writeStage(db: Db, req: ImportRequest, port: MessagePort, isCancelled: () => boolean, onProgress: (p: Progress) => void): Promise<StageResult> {
  const repo = new NumberListsRepo(db);
  const normalise = createNormalizer(req.country);
  const now = () => Date.now();
  let bytes = 0;
  let totalBytes: number | undefined;
  let layout: Layout | undefined;
  const sink = new VerdictSink(repo.writer(req.listId), { onProgress, isCancelled }, () => ({ bytes, ...(totalBytes !== undefined ? { totalBytes } : {}) }));
  return new Promise<StageResult>((resolve, reject) => {
    const finish = (r: StageResult | Error) => {
      port.close();
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    port.on('message', (m: StageMessage) => {
      try {
        if (m.type === 'layout') {
          layout = m.layout;
          totalBytes = m.totalBytes;
          repo.setMeta(req.listId, { default_country: req.country, column_index: layout.columns > 1 ? layout.column : null, has_header: layout.hasHeader ? 1 : 0 }, now());
        } else if (m.type === 'batch') {
          const b = m.batch;
          const { e164s, reasons } = b.e164s && b.reasons ? { e164s: b.e164s, reasons: b.reasons } : normaliseAll(normalise, b.raws);
          for (let i = 0; i < b.lines.length; i++) sink.add(b.lines[i]!, b.raws[i]!, e164s[i], reasons[i]);
          bytes = b.bytes;
          sink.flush();
          port.postMessage('ack');
        } else {
          bytes = totalBytes ?? m.bytes;
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
    });
  });
}
