// Worker-thread entry for heavy number-list work (import, rebuild after edits, export, delete), so the
// host's main thread stays responsive (design rule 13). Talks to its host through worker-host.ts only.
import { parentPort, workerData } from 'node:worker_threads';
import { openSync, writeSync, closeSync } from 'node:fs';
import { openDatabase } from '../db/open.ts';
import { NumberListsRepo, type ListCounts } from '../db/repos/number-lists-repo.ts';
import { CancelledError, VerdictSink, importText, layoutOf, type Progress, type TextSource } from './pipeline.ts';
import type { Layout } from './detect.ts';
import { JobsRepo, type BatchRow } from '../db/repos/jobs-repo.ts';
import { jobName, newTag } from '../jobs/views.ts';
import { randomUUID } from 'node:crypto';

export type WorkerRequest =
  | { op: 'import'; dbPath: string; listId: string; source: TextSource; country: string; column?: number; hasHeader?: boolean }
  | { op: 'rebuild'; dbPath: string; listId: string; country: string; removeLines: number[]; add: string[] }
  | { op: 'export'; dbPath: string; listId: string; path: string; only: 'all' | 'invalid' }
  | { op: 'delete'; dbPath: string; listId: string }
  | { op: 'buildBatch'; dbPath: string; batch: BatchRow; skip: string[]; now: number };

export type WorkerResult = { counts?: ListCounts; layout?: Layout; rows?: number; cancelled?: boolean; jobs?: number };

export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: WorkerResult }
  | { type: 'error'; message: string };

const SLICE = 20_000;

function run(req: WorkerRequest, cancelFlag: Int32Array): Promise<WorkerResult> | WorkerResult {
  const { db } = openDatabase(req.dbPath);
  const repo = new NumberListsRepo(db);
  const post = (m: WorkerMessage) => parentPort?.postMessage(m);
  const hooks = { onProgress: (progress: Progress) => post({ type: 'progress', progress }), isCancelled: () => Atomics.load(cancelFlag, 0) === 1 };
  const now = () => Date.now();
  const finish = <T>(p: Promise<T> | T): Promise<T> => Promise.resolve(p).finally(() => db.close());

  switch (req.op) {
    case 'import': {
      return finish(
        (async () => {
          let bytes = 0;
          const opts = { ...(req.column !== undefined ? { column: req.column } : {}), ...(req.hasHeader !== undefined ? { hasHeader: req.hasHeader } : {}) };
          const { layout, totalBytes } = layoutOf(req.source, req.country, opts);
          repo.setMeta(req.listId, { default_country: req.country, column_index: layout.columns > 1 ? layout.column : null, has_header: layout.hasHeader ? 1 : 0 }, now());
          const sink = new VerdictSink(req.country, repo.writer(req.listId), hooks, () => ({ bytes, totalBytes }));
          try {
            const counts = await importText(req.source, layout, sink, (b) => (bytes = b));
            repo.setCounts(req.listId, counts, now());
            repo.setState(req.listId, 'ready', null, now());
            post({ type: 'progress', progress: { ...counts, bytes: totalBytes, totalBytes } });
            return { counts, layout };
          } catch (e) {
            const counts = sink.writtenCounts();
            repo.setCounts(req.listId, counts, now());
            if (e instanceof CancelledError) {
              repo.setState(req.listId, 'cancelled', 'The import was cancelled; the rows read so far are kept.', now());
              return { counts, layout, cancelled: true };
            }
            throw e;
          }
        })(),
      );
    }
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
          const sink = new VerdictSink(req.country, repo.writer(req.listId), { ...hooks, isCancelled: () => false });
          for (const r of kept) sink.add(r.line, r.raw);
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
            let buf = 'line,raw,e164,verdict,reason,duplicate_of_line\n';
            for (const r of repo.iterateRows(req.listId, req.only === 'invalid' ? 'invalid' : undefined)) {
              buf += [r.line, csvCell(r.raw), r.e164 ?? '', r.verdict, csvCell(r.reason ?? ''), r.duplicate_of_line ?? ''].join(',') + '\n';
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

export function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

if (parentPort && workerData?.request) {
  const { request, cancel } = workerData as { request: WorkerRequest; cancel: SharedArrayBuffer };
  Promise.resolve()
    .then(() => run(request, new Int32Array(cancel)))
    .then(
      (result) => parentPort!.postMessage({ type: 'done', result } satisfies WorkerMessage),
      (e: unknown) => {
        if (e instanceof CancelledError) parentPort!.postMessage({ type: 'done', result: { cancelled: true } } satisfies WorkerMessage);
        else parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
      },
    );
}
