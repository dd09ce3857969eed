// Benchmark: start-up on a store holding 1,000,000 numbers: opening the store and checking migrations
// (electron/core/db/open.ts openDatabase) and the whole core (createCore: store, repos, services), median of
// several opens, beside a raw better-sqlite3 open + `PRAGMA user_version` of the same file.
// Run standalone: npx tsx bench/startup.ts [--quick]
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../electron/core/db/open.ts';
import { DB_FILE } from '../electron/core/index.ts';
import { metric, type BenchOptions, type BenchResult } from './lib/metrics.ts';
import { max, median } from './lib/stats.ts';
import { millionStore, cleanupFixtures } from './lib/million.ts';
import { openCore } from './lib/core.ts';

export async function run(opts: Partial<BenchOptions> = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => undefined);
  const rows = opts.quick ? 200_000 : 1_000_000;
  const opens = opts.quick ? 5 : 11;
  const store = await millionStore(rows, log);
  const file = join(store.dataDir, DB_FILE);
  log(`startup: ${opens} opens of a store with ${rows.toLocaleString('en-US')} numbers`);

  const raw: number[] = [];
  const open: number[] = [];
  const core: number[] = [];
  const firstCall: number[] = [];
  let firstOpen = NaN;
  for (let i = 0; i < opens; i++) {
    let t0 = performance.now();
    const db = new Database(file);
    db.pragma('user_version', { simple: true });
    db.close();
    raw.push(performance.now() - t0);

    t0 = performance.now();
    const o = openDatabase(file);
    const ms = performance.now() - t0;
    o.db.close();
    if (i === 0) firstOpen = ms;
    open.push(ms);

    t0 = performance.now();
    const c = openCore(store.dataDir);
    core.push(performance.now() - t0);
    // What the number-lists screen asks first: the lists with their counts.
    const r = await c.dispatch('numbers.lists', {});
    firstCall.push(performance.now() - t0);
    await c.close();
    if (!r.ok) throw new Error(`numbers.lists failed: ${r.error.message}`);
  }
  const rawMs = median(raw);
  return {
    name: 'startup',
    metrics: [
      metric(`open store + check migrations (${rows.toLocaleString('en-US')} numbers, median of ${opens})`, median(open), 'ms', {
        baseline: rawMs, goal: '< 150 ms', baselineNote: 'raw open + user_version',
      }),
      metric('open store + check migrations (first open of the run)', firstOpen, 'ms', { baseline: raw[0]!, goal: '< 150 ms' }),
      metric(`whole core start (createCore, median of ${opens})`, median(core), 'ms', { baseline: rawMs, goal: '< 150 ms' }),
      metric(`core start + first numbers.lists (median of ${opens})`, median(firstCall), 'ms', { baseline: rawMs, goal: '< 150 ms' }),
      metric(`whole core start (slowest of ${opens})`, max(core), 'ms', { baseline: max(raw) }),
    ],
    notes: [`store built by the real import of ${rows.toLocaleString('en-US')} rows in ${Math.round(store.importMs)} ms`],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run({ quick: process.argv.includes('--quick'), log: (l) => console.error(l) })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .finally(cleanupFixtures);
}
