// Worker-thread entry for heavy number-list work (import, rebuild after edits, export, delete), so the
// host's main thread stays responsive (design rule 13). Talks to its host through worker-host.ts only.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSync, writeSync, closeSync } from 'node:fs';
import { openDatabase } from '../db/open.ts';
import { toErrorValue } from '../errors.ts';
import { NumberListsRepo, type ListCounts } from '../db/repos/number-lists-repo.ts';
import { CancelledError, VerdictSink, normalisingAdd, type Piece, type Progress } from './pipeline.ts';
import type { Layout } from './detect.ts';
import { normaliseStage, readStage, writeStage, type ImportRequest } from './import-stages.ts';
import { EXPORT_HEADER, exportLine } from './export-csv.ts';
import { JobsRepo, type BatchRow } from '../db/repos/jobs-repo.ts';
import { jobName, newTag } from '../jobs/views.ts';
import { randomUUID } from 'node:crypto';

export type WorkerRequest =
  | ImportRequest
  | { op: 'rebuild'; dbPath: string; listId: string; country: string; removeLines: number[]; add: string[] }
  | { op: 'export'; dbPath: string; listId: string; path: string; only: 'all' | 'invalid' }
  | { op: 'delete'; dbPath: string; listId: string }
  | { op: 'buildBatch'; dbPath: string; batch: BatchRow; skip: string[]; now: number };

/** Host → worker, for imports whose source is 'parts'. */
export type HostMessage = { type: 'part'; text: string } | { type: 'end' };

export type WorkerResult = { counts?: ListCounts; layout?: Layout; rows?: number; cancelled?: boolean; jobs?: number };

export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  /** A streamed part has been processed (the host may send another). */
  | { type: 'partDone' }
  | { type: 'done'; result: WorkerResult }
  | { type: 'error'; message: string };

const SLICE = 20_000;

function run(req: Exclude<WorkerRequest, ImportRequest>, cancelFlag: Int32Array): Promise<WorkerResult> | WorkerResult {
  const { db } = openDatabase(req.dbPath);
  const repo = new NumberListsRepo(db);
  const post = (m: WorkerMessage) => parentPort?.postMessage(m);
  const hooks = { onProgress: (progress: Progress) => post({ type: 'progress', progress }), isCancelled: () => Atomics.load(cancelFlag, 0) === 1 };
  const now = () => Date.now();
  const finish = <T>(p: Promise<T> | T): Promise<T> => Promise.resolve(p).finally(() => db.close());

  switch (req.op) {
    case 'rebuild': {
      return finish(
        (() => {
          const removed = new Set(req.removeLines);
          const kept: { line: number; raw: string }[] = [];
          let maxLine = 0;
          for (const r of repo.iterateRows(req.listId)) {
            maxLine = Math.max(maxLine, r.line);
            if (!removed.has(r.line)) kept.push({ line: r.line, raw: r.raw });
          }
          for (const raw of req.add) kept.push({ line: ++maxLine, raw });
          while (repo.deleteRowsSlice(req.listId, SLICE) > 0) {
            // slices keep each write transaction short for other connections
          }
          const sink = new VerdictSink(repo.writer(req.listId), { ...hooks, isCancelled: () => false });
          const add = normalisingAdd(req.country, sink);
          for (const r of kept) add(r.line, r.raw);
          sink.flush();
          const counts = sink.counts();
          repo.setCounts(req.listId, counts, now());
          repo.setState(req.listId, 'ready', null, now());
          return { counts };
        })(),
      );
    }
    case 'export': {
      return finish(
        (() => {
          const fd = openSync(req.path, 'w');
          let rows = 0;
          try {
            let buf = EXPORT_HEADER;
            for (const r of repo.iterateRows(req.listId, req.only === 'invalid' ? 'invalid' : undefined)) {
              buf += exportLine(r);
              if (++rows % SLICE === 0) {
                writeSync(fd, buf);
                buf = '';
                if (hooks.isCancelled()) throw new CancelledError();
              }
            }
            writeSync(fd, buf);
          } finally {
            closeSync(fd);
          }
          return { rows };
        })(),
      );
    }
    case 'buildBatch': {
      // One transaction: a batch exists with all its jobs and numbers, or not at all (crash-safe).
      return finish(
        (() => {
          const jobs = new JobsRepo(db);
          const b = req.batch;
          const skip = new Set(req.skip);
          const toSubmit = b.total_numbers;
          const count = Math.ceil(toSubmit / b.chunk_size);
          let seq = 0;
          jobs.transaction(() => {
            jobs.insertBatch(b);
            jobs.insertSkips(b.id, req.skip, 'already on the cluster');
            let chunk: string[] = [];
            const flush = () => {
              if (chunk.length === 0) return;
              seq++;
              const tag = newTag();
              jobs.insertJob(
                { id: randomUUID(), batch_id: b.id, cluster_id: b.cluster_id, account_id: b.account_id, resource_id: b.resource_id, kind: 'chunk', parent_job_id: null, seq, tag, name: jobName(b.list_name, `${seq}/${count}`, tag) },
                chunk,
                req.now,
              );
              chunk = [];
            };
            let from = 0;
            for (;;) {
              const slice = b.list_id ? repo.validNumbers(b.list_id, from, SLICE) : [];
              if (slice.length === 0) break;
              for (const r of slice) {
                from = r.vseq + 1;
                if (skip.has(r.e164)) continue;
                chunk.push(r.e164);
                if (chunk.length >= b.chunk_size) flush();
              }
            }
            flush();
          });
          return { jobs: seq };
        })(),
      );
    }
    case 'delete': {
      return finish(
        (() => {
          let rows = 0;
          let n: number;
          while ((n = repo.deleteRowsSlice(req.listId, SLICE)) > 0) rows += n;
          repo.deleteList(req.listId);
          return { rows };
        })(),
      );
    }
  }
}

/**
 * Text parts streamed in by the host, in order. Pulling the next part means the previous one has been fully
 * processed, which is when the host hears 'partDone' (its backpressure: it holds back further parts).
 */
async function* partQueue(): AsyncGenerator<Piece> {
  const parts: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  parentPort!.on('message', (m: HostMessage) => {
    if (m.type === 'part') parts.push(m.text);
    else ended = true;
    wake?.();
  });
  for (;;) {
    const text = parts.shift();
    if (text !== undefined) {
      yield { text, bytes: Buffer.byteLength(text) };
      parentPort!.postMessage({ type: 'partDone' } satisfies WorkerMessage);
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}


/**
 * What a worker is started with. An import runs as a reader and a writer joined by `port`, plus normalisers: the
 * reader's `ports` go to the normalisers, the writer's come from them, and a normaliser's `port` is its input from
 * the reader and `ports[0]` its way to the writer.
 */
export interface WorkerData {
  request: WorkerRequest;
  cancel: SharedArrayBuffer;
  stage?: 'read' | 'write' | 'normalise';
  port?: MessagePort;
  ports?: MessagePort[];
}

function runStage(data: WorkerData, cancelFlag: Int32Array): Promise<WorkerResult> {
  const req = data.request as ImportRequest;
  const isCancelled = () => Atomics.load(cancelFlag, 0) === 1;
  const ports = data.ports ?? [];
  if (data.stage === 'read') {
    return readStage(req, data.port!, ports, req.source.kind === 'parts' ? partQueue() : undefined, isCancelled).then(() => ({}));
  }
  if (data.stage === 'normalise') return normaliseStage(req.country, data.port!, ports[0]!).then(() => ({}));
  const { db } = openDatabase(req.dbPath);
  const onProgress = (progress: Progress) => parentPort?.postMessage({ type: 'progress', progress } satisfies WorkerMessage);
  return writeStage(db, req, data.port!, ports, isCancelled, onProgress).finally(() => db.close());
}

if (parentPort && workerData?.request) {
  const data = workerData as WorkerData;
  const flag = new Int32Array(data.cancel);
  Promise.resolve()
    .then(() => (data.stage ? runStage(data, flag) : run(data.request as Exclude<WorkerRequest, ImportRequest>, flag)))
    .then(
      (result) => parentPort!.postMessage({ type: 'done', result } satisfies WorkerMessage),
      (e: unknown) => {
        if (e instanceof CancelledError) parentPort!.postMessage({ type: 'done', result: { cancelled: true } } satisfies WorkerMessage);
        else parentPort!.postMessage({ type: 'error', message: toErrorValue(e).message } satisfies WorkerMessage);
      },
    );
}
