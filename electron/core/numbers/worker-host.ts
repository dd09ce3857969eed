// Starts one worker thread per heavy number-list task, relays its progress, and cancels it on request.
// In a source checkout the worker is TypeScript, so it is started through a tiny tsx bootstrap.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerMessage, WorkerRequest, WorkerResult } from './worker.ts';
import type { Progress } from './pipeline.ts';

function workerUrl(): URL {
  const js = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL('./worker.ts', import.meta.url);
}

// A small old generation makes V8 collect garbage early, which keeps the process RSS bounded during a
// 1,000,000-row import (the de-dup map needs ~40 MB; everything else is per-batch garbage).
const LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 16 };

function spawn(data: unknown): Worker {
  const file = workerUrl();
  if (!file.pathname.endsWith('.ts')) return new Worker(file, { workerData: data, resourceLimits: LIMITS });
  // Workers do not inherit tsx's loader; register it in the worker before importing the module.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(file.href)});`;
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)), { workerData: data, resourceLimits: LIMITS });
}

export interface RunningTask {
  promise: Promise<WorkerResult>;
  cancel(): void;
}

export function runNumbersTask(request: WorkerRequest, onProgress: (p: Progress) => void): RunningTask {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const worker = spawn({ request, cancel });
  const promise = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
        void worker.terminate();
      } else {
        settled = true;
        reject(new Error(m.message));
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    });
    worker.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`The number-list worker stopped unexpectedly (exit code ${code}).`));
      }
    });
  });
  return { promise, cancel: () => Atomics.store(flag, 0, 1) };
}
