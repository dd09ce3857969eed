// The writes queued in one turn of the event loop share one transaction (db/turn-batch.ts), on a real SQLite file in
// WAL mode: each caller's promise settles only once that transaction committed (a second connection sees the row),
// a piece that throws is undone alone, a piece queued by a running piece joins its transaction (apply's staging
// queues its rows' claims), and a piece queued after the batch ran goes into the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TurnBatch } from '../../../electron/core/db/turn-batch.ts';
import { tempDir } from '../../support/temp.ts';

function setting() {
  const dir = tempDir('cd-turn-batch-');
  const file = join(dir.path, 'batch.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const reader = new Database(file, { readonly: true });
  const tx = db.transaction((fn: () => unknown) => fn());
  let outer = 0;
  // As DraftsRepo.transaction: an immediate transaction, a savepoint when nested. Counts the real (outer) ones.
  const batch = new TurnBatch(<T>(fn: () => T): T => {
    if (!db.inTransaction) outer++;
    return tx.immediate(fn) as T;
  });
  const insert = (k: string, v: number) => () => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v).changes;
  const seen = (k: string) => reader.prepare('SELECT v FROM t WHERE k = ?').get(k) as { v: number } | undefined;
  return {
    batch, insert, seen, outer: () => outer,
    close() {
      reader.close();
      db.close();
      dir.remove();
    },
  };
}

test('pieces queued in one turn commit in one transaction, each settling after the commit', async (t) => {
  const s = setting();
  t.after(() => s.close());
  const settled: string[] = [];
  const pieces = ['a', 'b', 'c'].map((k, i) =>
    s.batch.run(s.insert(k, i)).then((changes) => {
      // Durable when the caller hears of it: another connection reads it.
      assert.equal(s.seen(k)?.v, i);
      settled.push(k);
      return changes;
    }),
  );
  assert.equal(s.seen('a'), undefined, 'nothing is written before the end of the turn');
  assert.deepEqual(await Promise.all(pieces), [1, 1, 1]);
  assert.deepEqual(settled, ['a', 'b', 'c']);
  assert.equal(s.outer(), 1, 'one transaction for the three pieces');

  // The next turn's pieces form the next batch.
  await s.batch.run(s.insert('d', 3));
  assert.equal(s.outer(), 2);
});

test('a piece that throws is undone alone; its caller gets its error and the others commit', async (t) => {
  const s = setting();
  t.after(() => s.close());
  const ok1 = s.batch.run(s.insert('x', 1));
  const bad = s.batch.run(() => {
    s.insert('half', 9)();
    throw new Error('piece failed after a write');
  });
  const dup = s.batch.run(s.insert('x', 2)); // the primary key: SQLite refuses it
  const ok2 = s.batch.run(s.insert('y', 3));
  const results = await Promise.allSettled([ok1, bad, dup, ok2]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
  assert.match(String((results[1] as PromiseRejectedResult).reason), /piece failed after a write/);
  assert.match(String((results[2] as PromiseRejectedResult).reason), /UNIQUE/);
  assert.equal(s.seen('half'), undefined, 'the failed piece left nothing');
  assert.equal(s.seen('x')?.v, 1);
  assert.equal(s.seen('y')?.v, 3);
  assert.equal(s.outer(), 1);
});

test('when the shared transaction cannot start, every piece of the batch is refused and nothing is written', async (t) => {
  const s = setting();
  t.after(() => s.close());
  const dir = tempDir('cd-turn-batch-lock-');
  t.after(() => dir.remove());
  // Another connection holds the write lock: BEGIN IMMEDIATE fails at once (busy_timeout 0).
  const file = join(dir.path, 'locked.sqlite');
  const a = new Database(file);
  a.pragma('journal_mode = WAL');
  a.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const b = new Database(file, { timeout: 0 });
  t.after(() => {
    b.close();
    a.close();
  });
  const txb = b.transaction((fn: () => unknown) => fn());
  const batch = new TurnBatch(<T>(fn: () => T): T => txb.immediate(fn) as T);
  a.exec('BEGIN IMMEDIATE');
  const pieces = [batch.run(() => b.prepare("INSERT INTO t VALUES ('p', 1)").run()), batch.run(() => b.prepare("INSERT INTO t VALUES ('q', 2)").run())];
  const results = await Promise.allSettled(pieces);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.match(String((results[0] as PromiseRejectedResult).reason), /busy|locked/i);
  a.exec('COMMIT');
  assert.equal((a.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 0);
});

test('a piece queued while the batch runs (by a piece) commits in the same transaction, after the pieces before it', async (t) => {
  const s = setting();
  t.after(() => s.close());
  const order: string[] = [];
  let inner: Promise<number> | undefined;
  const outerPiece = s.batch.run(() => {
    order.push('stage');
    const changes = s.insert('staged', 1)();
    // As apply's staging starting its rows: the claim is queued into the batch being run, and reads what was staged.
    inner = s.batch.run(() => {
      order.push('claim');
      return s.insert('claimed', 2)();
    });
    return changes;
  });
  const later = s.batch.run(() => {
    order.push('other');
    return s.insert('other', 3)();
  });
  assert.deepEqual(await Promise.all([outerPiece, later]), [1, 1]);
  assert.equal(await inner, 1);
  assert.equal(s.seen('claimed')?.v, 2, 'durable when its caller hears of it');
  assert.deepEqual(order, ['stage', 'other', 'claim']);
  assert.equal(s.outer(), 1, 'the staging and the claim it queued share one transaction');

  // A piece queued by a piece that then fails is still run (it is its caller's own piece) and committed alone.
  let orphan: Promise<number> | undefined;
  const failing = s.batch.run(() => {
    orphan = s.batch.run(() => s.insert('orphan', 4)());
    throw new Error('staging failed');
  });
  await assert.rejects(failing, /staging failed/);
  assert.equal(await orphan, 1);
  assert.equal(s.outer(), 2);
});
