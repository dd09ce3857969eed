// Integration: an import's worker threads. With normaliser workers beside the reader (as on a machine with more
// than two cores), batches normalised on different threads reach the writer out of order; the stored rows must be
// exactly those of an import without normalisers: same verdicts, and a duplicate names the first line even when
// that line's batch was normalised elsewhere. A cancel stops every worker and keeps the rows written so far.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../electron/core/db/open.ts';
import { NumberListsRepo } from '../../../electron/core/db/repos/number-lists-repo.ts';
import { runNumbersTask } from '../../../electron/core/numbers/worker-host.ts';
import { BATCH_ROWS } from '../../../electron/core/numbers/pipeline.ts';
import { tempDir } from '../../support/temp.ts';

const ROWS = BATCH_ROWS * 6 + 123;

/** Numbers written in three ways, every 50th not a number, and each 7th row repeating a number of an earlier batch. */
function csv(): string {
  const lines = ['name,phone'];
  for (let i = 0; i < ROWS; i++) {
    const d = String(2122000000 + ((i * 7919) % 9_000_000));
    const repeat = i >= BATCH_ROWS && i % 7 === 0 ? String(2122000000 + (((i - BATCH_ROWS - 4) * 7919) % 9_000_000)) : d;
    const phone = i % 50 === 49 ? 'no number' : i % 3 === 0 ? `+1${repeat}` : i % 3 === 1 ? repeat : `(${repeat.slice(0, 3)}) ${repeat.slice(3, 6)}-${repeat.slice(6)}`;
    lines.push(`Customer ${i},${phone}`);
  }
  return lines.join('\n') + '\n';
}

interface Stored {
  counts: unknown;
  rows: string[];
}

describe('import workers', () => {
  const tmp = tempDir('cd-import-workers-');
  after(() => tmp.remove());
  const file = join(tmp.path, 'numbers.csv');
  writeFileSync(file, csv());

  async function importWith(normalisers: number, name: string): Promise<Stored> {
    const dbPath = join(tmp.path, `${name}.sqlite`);
    const { db } = openDatabase(dbPath);
    const repo = new NumberListsRepo(db);
    repo.create({ id: name, name, default_country: 'US', source: 'numbers.csv', column_index: null, has_header: 0 }, Date.now());
    try {
      const task = runNumbersTask({ op: 'import', dbPath, listId: name, source: { kind: 'file', path: file }, country: 'US', normalisers }, () => undefined);
      const result = await task.promise;
      const rows = [...repo.iterateRows(name)].map((r) => `${r.seq}|${r.line}|${r.raw}|${r.e164}|${r.verdict}|${r.vseq}|${r.reason}|${r.duplicate_of_line}`);
      return { counts: result.counts, rows };
    } finally {
      db.close();
    }
  }

  test('rows normalised on several threads are stored exactly as by the reader alone', async () => {
    const alone = await importWith(0, 'alone');
    const pooled = await importWith(2, 'pooled');
    assert.equal(alone.rows.length, ROWS);
    assert.deepEqual(pooled.counts, alone.counts);
    const c = alone.counts as { total_rows: number; valid_count: number; invalid_count: number; duplicate_count: number };
    assert.equal(c.total_rows, ROWS);
    assert.ok(c.invalid_count > 1000 && c.duplicate_count > 1000, `invalid ${c.invalid_count}, duplicates ${c.duplicate_count}`);
    for (let i = 0; i < ROWS; i++) if (pooled.rows[i] !== alone.rows[i]) assert.fail(`row ${i}: ${pooled.rows[i]} instead of ${alone.rows[i]}`);
    // A repeat names the first line of its number, which lies in an earlier batch (another thread's, when pooled).
    const dup = pooled.rows.map((r) => r.split('|')).find((f) => f[4] === 'duplicate' && Number(f[1]) > BATCH_ROWS * 3);
    assert.ok(dup && Number(dup[7]) < Number(dup[1]) - 1, `a duplicate row: ${dup?.join('|')}`);
  });

  test('a cancel with normalisers ends the import as cancelled with the rows written so far', async () => {
    const dbPath = join(tmp.path, 'cancel.sqlite');
    const { db } = openDatabase(dbPath);
    const repo = new NumberListsRepo(db);
    repo.create({ id: 'cancel', name: 'cancel', default_country: 'US', source: 'numbers.csv', column_index: null, has_header: 0 }, Date.now());
    try {
      let cancelled = false;
      const task: ReturnType<typeof runNumbersTask> = runNumbersTask({ op: 'import', dbPath, listId: 'cancel', source: { kind: 'file', path: file }, country: 'US', normalisers: 2 }, (p) => {
        if (!cancelled && p.total_rows > 0) {
          cancelled = true;
          task.cancel();
        }
      });
      const result = await task.promise;
      assert.equal(result.cancelled, true);
      const list = repo.find('cancel')!;
      assert.equal(list.state, 'cancelled');
      const stored = [...repo.iterateRows('cancel')].length;
      assert.equal(list.total_rows, stored);
      assert.ok(stored > 0 && stored < ROWS, `${stored} rows kept`);
    } finally {
      db.close();
    }
  });
});
