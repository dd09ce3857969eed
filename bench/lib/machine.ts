// The machine and its speed in this run: CPU model, cores, Node, load; a fixed CPU-bound loop, a raw
// better-sqlite3 insert rate and loopback HTTP round trips, so figures from noisy shared machines can be read
// side by side with how fast the machine was at that moment.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { median } from './stats.ts';
import { metric, type Metric } from './metrics.ts';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGB: number;
  loadAvg1m: number;
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpuModel: model,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    loadAvg1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** A fixed integer workload (xorshift + a small array walk): ms, median of 5. */
function cpuLoopMs(): number {
  const runs: number[] = [];
  const arr = new Uint32Array(4096);
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let x = 2463534242;
    for (let i = 0; i < 20_000_000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      arr[i & 4095] = (arr[i & 4095]! + x) >>> 0;
    }
    runs.push(performance.now() - t0);
    if (arr[0] === 42) console.error(''); // keeps the loop observable
  }
  return median(runs);
}

/** Rows/s of a raw prepared INSERT into a WAL database on disk, 200k rows in 10k-row transactions. */
function sqliteInsertRate(): number {
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-machine-'));
  try {
    const db = new Database(join(dir, 'm.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, e164 TEXT NOT NULL, n INTEGER NOT NULL) STRICT');
    const ins = db.prepare('INSERT INTO t (e164, n) VALUES (?, ?)');
    const tx = db.transaction((from: number) => {
      for (let i = from; i < from + 10_000; i++) ins.run(`+1${2012000000 + i}`, i);
    });
    const t0 = performance.now();
    for (let b = 0; b < 200_000; b += 10_000) tx(b);
    const ms = performance.now() - t0;
    db.close();
    return (200_000 * 1000) / ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median round trip (ms) of 500 sequential small HTTP requests over loopback keep-alive (undici Pool). */
async function loopbackRoundTripMs(): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
  try {
    const times: number[] = [];
    for (let i = 0; i < 550; i++) {
      const t0 = performance.now();
      const r = await pool.request({ method: 'GET', path: '/' });
      await r.body.text();
      if (i >= 50) times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    await pool.close();
    await new Promise((r) => server.close(r));
  }
}

export interface MachineBaseline {
  info: MachineInfo;
  metrics: Metric[];
}

export async function machineBaseline(): Promise<MachineBaseline> {
  const info = machineInfo();
  const cpu = cpuLoopMs();
  const insert = sqliteInsertRate();
  const rtt = await loopbackRoundTripMs();
  return {
    info,
    metrics: [
      metric('CPU loop (20M xorshift steps, median of 5)', cpu, 'ms', { digits: 1 }),
      metric('raw better-sqlite3 insert (200k rows, WAL)', insert, 'rows/s', { digits: 0 }),
      metric('loopback HTTP round trip (undici, keep-alive)', rtt, 'ms', { digits: 3 }),
    ],
  };
}
