// Benchmark: importing 1,000,000 numbers from a generated CSV through the real import path (core → reader
// worker: split → E.164; writer worker: de-dup → SQLite) beside a raw better-sqlite3 insert of the same rows
// into the same table in the same run. Reports numbers/s, the ratio and the peak RSS of the process during the
// import, and the same file sent the browser's way (numbers.importBegin → importChunk of 4 MB → importEnd).
// Run standalone: npx tsx bench/import.ts [--rows N]
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createCore } from '../electron/core/index.ts';
import { FileKeyBox } from '../electron/core/secrets/file-key-box.ts';
import { openDatabase } from '../electron/core/db/open.ts';
import { NumberListsRepo, type ListRowRecord } from '../electron/core/db/repos/number-lists-repo.ts';
import { normaliserCount, workerUrl } from '../electron/core/numbers/worker-host.ts';
import type { BenchResult, Metric } from './lib/metrics.ts';
import { NewThreadsCpu, threadCpuMs } from './lib/thread-cpu.ts';

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,name,phone,note\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    // Mixed formats, ~1% invalid, ~1% duplicates: what a real export looks like.
    const n = 2012000000 + ((i * 7919) % 7_000_000) + Math.floor(i / 7_000_000);
    const d = String(n);
    const phone =
      i % 100 === 99 ? 'n/a' : i % 100 === 98 ? `+1${2012000000 + ((i - 1) * 7919) % 7_000_000}` : i % 3 === 0 ? `+1${d}` : i % 3 === 1 ? d : `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
    buf += `${i + 1},Customer ${i},${phone},x\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}

/**
 * CPU figures that hold under load: on two or more free cores the import is bound by its busiest thread (the
 * writer's insert when E.164 keeps up), so the rate it can reach is raw insert CPU / busiest thread CPU × the raw rate.
 */
function cpuMetrics(threadsMs: number[], rawCpuMs: number | undefined): Metric[] {
  if (threadsMs.length === 0 || !rawCpuMs) return [];
  const busiest = threadsMs[0]!;
  return [
    { name: 'CPU of the busiest import thread (the serial step)', value: busiest, unit: 'ms', baseline: rawCpuMs, ratio: +(busiest / rawCpuMs).toFixed(2), baselineNote: 'CPU of the raw insert' },
    { name: 'CPU of all import threads (reader, writer, loaders)', value: threadsMs.reduce((a, b) => a + b, 0), unit: 'ms' },
  ];
}

export async function run(opts: { rows?: number } = {}): Promise<BenchResult> {
  const rows = opts.rows ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-import-'));
  try {
    const csv = join(dir, 'numbers.csv');
    await writeCsv(csv, rows);
    // The checkout as `npm install` leaves it: the import worker bundle built from these sources (worker-host.ts
    // runs it while it is fresh). Built in a child process, so esbuild's output never counts in this one's RSS.
    const { bundleIsFresh } = (await import('../scripts/cli-bundle.mjs')) as { bundleIsFresh(root: string): boolean };
    const root = fileURLToPath(new URL('..', import.meta.url));
    if (!bundleIsFresh(root)) execFileSync(process.execPath, [join(root, 'scripts', 'cli-bundle.mjs')], { stdio: 'inherit' });
    const worker = relative(root, fileURLToPath(workerUrl()));

    // 1. The real path, through the contract.
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'bench' });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const threads = new NewThreadsCpu();
    const t0 = performance.now();
    const r = await core.dispatch('numbers.import', { name: 'bench', path: csv, country: 'US', wait: true });
    const importMs = performance.now() - t0;
    const threadsMs = threads.stop();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (!r.ok) throw new Error(r.error.message);
    const list = (r.value as { list: { total: number; valid: number; invalid: number; duplicate: number } }).list;
    // Paging at the far end must stay fast.
    const p0 = performance.now();
    await core.dispatch('numbers.rows', { list: 'bench', offset: rows - 1000, limit: 100 });
    const pageMs = performance.now() - p0;

    // 1b. The browser's way: the file in 4 MB slices through the chunked contract (memory bounded).
    const c0 = performance.now();
    const begin = await core.dispatch('numbers.importBegin', { name: 'bench-chunked', fileName: 'numbers.csv', country: 'US', totalBytes: statSync(csv).size });
    if (!begin.ok) throw new Error(begin.error.message);
    const listId = (begin.value as { listId: string }).listId;
    const fd = openSync(csv, 'r');
    const decoder = new StringDecoder('utf8');
    const slice = Buffer.alloc(4 * 1024 * 1024);
    for (let index = 0; ; index++) {
      const n = readSync(fd, slice, 0, slice.length, null);
      if (n === 0) break;
      const part = await core.dispatch('numbers.importChunk', { list: listId, index, text: decoder.write(slice.subarray(0, n)) });
      if (!part.ok) throw new Error(part.error.message);
    }
    closeSync(fd);
    const end = await core.dispatch('numbers.importEnd', { list: listId, wait: true });
    if (!end.ok) throw new Error(end.error.message);
    const chunkedMs = performance.now() - c0;
    await core.close();

    // 2. Raw better-sqlite3: the same rows (already verdicted) into the same table, 10k per transaction.
    const { db } = openDatabase(join(dir, 'raw.sqlite'));
    const repo = new NumberListsRepo(db);
    repo.create({ id: 'raw', name: 'raw', default_country: 'US', source: 'raw', column_index: 3, has_header: 1 }, Date.now());
    const batch: ListRowRecord[][] = [];
    let cur: ListRowRecord[] = [];
    for (let i = 0; i < list.total; i++) {
      cur.push({ seq: i, line: i + 2, raw: `+1${2012000000 + i}`, e164: `+1${2012000000 + i}`, verdict: 'valid', vseq: i, reason: null, duplicate_of_line: null });
      if (cur.length === 10_000) {
        batch.push(cur);
        cur = [];
      }
    }
    if (cur.length) batch.push(cur);
    const insert = db.prepare('INSERT INTO number_list_rows (list_id, seq, line, raw, e164, verdict, vseq, reason, duplicate_of_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const tx = db.transaction((rs: ListRowRecord[]) => {
      for (const x of rs) insert.run('raw', x.seq, x.line, x.raw, x.e164, x.verdict, x.vseq, x.reason, x.duplicate_of_line);
    });
    const rawCpu0 = threadCpuMs();
    const t1 = performance.now();
    for (const b of batch) tx(b);
    const rawMs = performance.now() - t1;
    const rawCpuMs = rawCpu0 === undefined ? undefined : threadCpuMs()! - rawCpu0;
    db.close();

    const importRate = (list.total * 1000) / importMs;
    const rawRate = (list.total * 1000) / rawMs;
    return {
      name: 'import',
      metrics: [
        { name: 'import rate (1M-row CSV, real path)', value: Math.round(importRate), unit: 'numbers/s', baseline: Math.round(rawRate), ratio: +(importRate / rawRate).toFixed(2), goal: '>= 0.8x raw insert' },
        { name: 'raw better-sqlite3 insert rate (same rows, same table)', value: Math.round(rawRate), unit: 'rows/s' },
        { name: 'peak RSS during import', value: Math.round(peakRss / 1024 / 1024), unit: 'MB', goal: '< 300 MB' },
        { name: 'RSS just before the import', value: Math.round(rssBefore / 1024 / 1024), unit: 'MB' },
        { name: 'import wall time', value: Math.round(importMs), unit: 'ms' },
        ...cpuMetrics(threadsMs, rawCpuMs),
        { name: 'chunked import rate (same CSV in 4 MB parts, the browser path)', value: Math.round((list.total * 1000) / chunkedMs), unit: 'numbers/s' },
        { name: 'rows page at offset N-1000', value: +pageMs.toFixed(1), unit: 'ms' },
        { name: 'verdicts (valid/invalid/duplicate)', value: list.valid, unit: `valid (${list.invalid} invalid, ${list.duplicate} duplicates)` },
      ],
      notes: [`worker threads: reader, writer and ${normaliserCount()} normalisers (${availableParallelism()} cores), started from ${worker}`],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--rows');
  const rows = i > 0 ? Number(process.argv[i + 1]) : undefined;
  run(rows ? { rows } : {}).then((r) => console.log(JSON.stringify(r, null, 2)));
}
