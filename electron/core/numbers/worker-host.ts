// Starts the worker threads of a heavy number-list task (one; an import's reader, writer and normalisers), relays
// progress, streams text parts into it (with backpressure), and cancels it on request. A build has the worker as
// worker.js beside this module; a source checkout runs the worker bundle made from the same sources when it is
// fresh, else the TypeScript worker through a tiny tsx bootstrap.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { HostMessage, WorkerData, WorkerMessage, WorkerRequest, WorkerResult } from './worker.ts';
import type { Progress } from './pipeline.ts';

/**
 * In a source checkout, the worker bundle `npm install` and the CLI build from these sources
 * (scripts/cli-bundle.mjs → dist/electron/cli/worker.js), used while its manifest says it is fresh (checked at each
 * start, ~2 ms): a worker started from it skips compiling the sources through tsx, which costs each import thread
 * ~15 MB (an import's peak RSS budget is 300 MB) and part of a second at start. Undefined in a build and under
 * `npm test` (CARRIER_DESK_FROM_SOURCE=1: the tests exercise the sources themselves). Looked up on the first
 * import, synchronously (the CLI bundle is CommonJS: no top-level await here).
 */
function checkoutBundleFinder(): (() => URL | undefined) | undefined {
  if (existsSync(fileURLToPath(new URL('./worker.js', import.meta.url))) || process.env.CARRIER_DESK_FROM_SOURCE === '1') return undefined;
  const root = new URL('../../../', import.meta.url);
  const script = fileURLToPath(new URL('scripts/cli-bundle-fresh.cjs', root));
  const bundle = new URL('dist/electron/cli/worker.js', root);
  if (!existsSync(script)) return undefined;
  try {
    const { bundleIsFresh } = createRequire(import.meta.url)(script) as { bundleIsFresh(root: string): boolean };
    return () => (bundleIsFresh(fileURLToPath(root)) ? bundle : undefined);
  } catch {
    return undefined;
  }
}

let checkoutBundle: (() => URL | undefined) | undefined | null = null;

/** The worker's entry: worker.js beside this module (a build), the fresh bundle of a checkout, or worker.ts. */
export function workerUrl(): URL {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  if (checkoutBundle === null) checkoutBundle = checkoutBundleFinder();
  return checkoutBundle?.() ?? new URL('./worker.ts', import.meta.url);
}

// A small old generation makes V8 collect garbage early, which keeps the process RSS bounded during a
// 1,000,000-row import (the de-dup index needs ~24 MB; everything else is per-batch garbage). The import's
// writer runs with these limits too, with a small young generation: the process holds two import isolates.
const WORKER_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 16 };
const WRITER_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 8 };
/**
 * An import's reader holds one part (or a pasted text), a few batches and libphonenumber's metadata; its young
 * generation is a little larger because libphonenumber allocates many short-lived objects.
 */
const READER_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 24 };

/** Parts the host lets a worker hold (queued or being processed) before `sendPart` waits. */
const PARTS_IN_FLIGHT = 2;

/** A normaliser holds libphonenumber's metadata and two batches. */
const NORMALISER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

/**
 * Normaliser workers beside an import's reader: one per core beyond the two the reader and writer use (none on a
 * 2-core machine, where the reader normalises everything and a third busy thread would only take turns with them),
 * at most 3 (each one is another isolate holding libphonenumber's metadata).
 */
export function normaliserCount(): number {
  return Math.max(0, Math.min(3, availableParallelism() - 2));
}

function spawn(data: WorkerData, limits = WORKER_LIMITS): Worker {
  const file = workerUrl();
  const transferList = [...(data.port ? [data.port] : []), ...(data.ports ?? [])];
  const options = { workerData: data, resourceLimits: limits, ...(transferList.length ? { transferList } : {}) };
  if (!file.pathname.endsWith('.ts')) return new Worker(file, options);
  // Workers do not inherit tsx's loader; register it in the worker before importing the module.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(file.href)});`;
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)), options);
}

export interface RunningTask {
  promise: Promise<WorkerResult>;
  cancel(): void;
  /**
   * Streams one text part to an import whose source is 'parts'; resolves once the worker has room for the
   * next one (so a caller that awaits each part keeps at most PARTS_IN_FLIGHT parts in memory). Rejects if
   * the task has ended.
   */
  sendPart(text: string): Promise<void>;
  /** No more parts. */
  endParts(): void;
}

/**
 * Runs one task. An import runs as two workers, reader and writer, joined by a MessageChannel: the task ends
 * with the writer's result, and fails (both stopped) as soon as either fails.
 */
export function runNumbersTask(request: WorkerRequest, onProgress: (p: Progress) => void): RunningTask {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  let workers: Worker[];
  let input: Worker;
  let output: Worker;
  if (request.op === 'import') {
    const { port1, port2 }: { port1: MessagePort; port2: MessagePort } = new MessageChannel();
    // Only the reader needs the source (a pasted text is not copied into the other workers).
    const lean = { ...request, source: request.source.kind === 'text' ? ({ kind: 'parts' } as const) : request.source };
    const toNormalisers: MessagePort[] = [];
    const fromNormalisers: MessagePort[] = [];
    const normalisers: Worker[] = [];
    for (let i = 0; i < (request.normalisers ?? normaliserCount()); i++) {
      const a = new MessageChannel();
      const b = new MessageChannel();
      toNormalisers.push(a.port1);
      fromNormalisers.push(b.port2);
      normalisers.push(spawn({ request: lean, cancel, stage: 'normalise', port: a.port2, ports: [b.port1] }, NORMALISER_LIMITS));
    }
    input = spawn({ request, cancel, stage: 'read', port: port1, ports: toNormalisers }, READER_LIMITS);
    output = spawn({ request: lean, cancel, stage: 'write', port: port2, ports: fromNormalisers }, WRITER_LIMITS);
    workers = [input, output, ...normalisers];
  } else {
    input = output = spawn({ request, cancel });
    workers = [input];
  }
  let inFlight = 0;
  let roomWaiters: (() => void)[] = [];
  let ended: Error | undefined;
  const wakeAll = () => {
    const w = roomWaiters;
    roomWaiters = [];
    for (const f of w) f();
  };
  const stopAll = () => {
    for (const w of workers) void w.terminate();
  };
  const promise = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      ended = e;
      wakeAll();
      reject(e);
      stopAll();
    };
    // A reader that has sent everything may exit on its own before the writer reports.
    const finished = new Set<Worker>();
    for (const w of workers) {
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'done') finished.add(w);
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'partDone') {
          inFlight = Math.max(0, inFlight - 1);
          wakeAll();
        } else if (m.type === 'error') fail(new Error(m.message));
        else if (w === output && !settled) {
          settled = true;
          ended = new Error(m.result.cancelled ? 'It was cancelled.' : 'It has finished.');
          wakeAll();
          resolve(m.result);
          stopAll();
        }
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (!finished.has(w)) fail(new Error(`The number-list worker stopped unexpectedly (exit code ${code}).`));
      });
    }
  });
  const post = (m: HostMessage) => input.postMessage(m);
  return {
    promise,
    cancel: () => {
      Atomics.store(flag, 0, 1);
      if (ended) return;
      // An import waiting for parts wakes up, sees the flag and stops; from now on no part is taken, even before
      // the worker has reported back.
      post({ type: 'end' });
      ended = new Error('It was cancelled.');
      wakeAll();
    },
    async sendPart(text: string) {
      if (ended) throw ended;
      inFlight++;
      post({ type: 'part', text });
      while (inFlight >= PARTS_IN_FLIGHT && !ended) await new Promise<void>((r) => roomWaiters.push(r));
      if (ended) throw ended;
    },
    endParts: () => {
      if (!ended) post({ type: 'end' });
    },
  };
}
