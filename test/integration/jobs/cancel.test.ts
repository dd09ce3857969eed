// Cancelling a submission half-way: the parts not yet sent are cancelled, their numbers counted apart (never as
// done or failed), the parts on the cluster finish, "retry failed numbers" leaves the cancelled ones alone, and the
// batch's counts always add up (imported + failed + cancelled + pending = its numbers). A store written before
// 'cancelled' existed (cancelled numbers stored as failed) is converted by its migration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import type { BatchView } from '../../../electron/shared/contract/jobs.ts';
import { finishedOutcome } from '../../../electron/shared/job-outcome.ts';
import { openDatabase } from '../../../electron/core/db/open.ts';
import { defaultMigrationsDir } from '../../../electron/core/db/migrate.ts';
import { ACME, ACME_RESOURCE, EXISTING, addCluster, call, importList, numbers, openCore, runUntilIdle, tempDir } from './helpers.ts';

const addsUp = (b: BatchView) => b.succeeded + b.failed + b.cancelled + b.pending === b.totalNumbers;

describe('cancel the unsent parts of a submission', () => {
  let emu: EmulatorHandle;
  let core: Core;
  const tmp = tempDir('cancel');

  before(async () => {
    emu = await startEmulator({ flavor: '5.0', jobDelayMs: 2 });
    core = await openCore(tmp.dir);
    await addCluster(core, 'demo', emu);
  });
  after(async () => {
    await core.close();
    await emu.close();
    tmp.cleanup();
  });

  test('half-way: sent parts finish, the rest is cancelled and counted apart', async () => {
    // 60 numbers in parts of 10; one number already on the cluster fails with number_exists.
    await importList(core, 'half', [EXISTING, ...numbers(59, 3125550000, 4000)]);
    const sub = await call(core, 'jobs.submit', { list: 'half', cluster: 'demo', account: ACME, resource: ACME_RESOURCE, chunkSize: 10, skipPresent: false });
    assert.equal(sub.jobs.length, 6);
    const batchOf = async () => (await call(core, 'jobs.batches', {})).find((b) => b.id === sub.batch.id)!;

    // Drive the watcher until the first part is complete; at most two parts are ever on the cluster at once.
    for (let i = 0; i < 500; i++) {
      await core.background.runNow('jobs');
      const list = await call(core, 'jobs.list', { batch: sub.batch.id });
      if (list.some((j) => j.state === 'complete')) break;
      assert.ok(addsUp(await batchOf()), 'the counts add up at every step');
      await new Promise((r) => setTimeout(r, 5));
    }
    const before = await call(core, 'jobs.list', { batch: sub.batch.id });
    const queued = before.filter((j) => j.state === 'queued');
    assert.ok(queued.length >= 3, `parts still waiting: ${before.map((j) => j.state).join(', ')}`);

    const r = await call(core, 'jobs.cancel', { batch: sub.batch.id });
    assert.equal(r.cancelled, queued.length);
    const mid = await batchOf();
    assert.equal(mid.cancelled, queued.reduce((n, j) => n + j.total, 0));
    assert.ok(addsUp(mid));

    await runUntilIdle(core);
    const jobs = await call(core, 'jobs.list', { batch: sub.batch.id });
    for (const j of jobs.filter((x) => x.state === 'cancelled')) {
      assert.deepEqual({ done: j.done, successes: j.successes, failures: j.failures, cancelled: j.cancelled }, { done: 0, successes: 0, failures: 0, cancelled: j.total });
    }
    const sent = jobs.filter((j) => j.state === 'complete');
    assert.equal(sent.length + queued.length, 6);
    const end = await batchOf();
    assert.deepEqual(
      { succeeded: end.succeeded, failed: end.failed, cancelled: end.cancelled, pending: end.pending },
      { succeeded: sent.reduce((n, j) => n + j.total, 0) - 1, failed: 1, cancelled: mid.cancelled, pending: 0 },
    );
    assert.ok(addsUp(end));
    assert.equal(finishedOutcome({ imported: end.succeeded, failed: end.failed, cancelled: end.cancelled }).label, 'cancelled part-way');

    // Each cancelled number can be listed with its outcome; none of them is taken by "retry failed numbers".
    const one = jobs.find((j) => j.state === 'cancelled')!;
    const rows = await call(core, 'jobs.get', { job: one.id, outcome: 'cancelled' });
    assert.equal(rows.numbers.rows.length, one.total);
    assert.equal(rows.numbers.rows[0]!.reason, 'cancelled before it was sent');
    const retried = await call(core, 'jobs.retryFailed', { batch: sub.batch.id, includeExisting: true });
    assert.deepEqual((await call(core, 'jobs.get', { job: retried[0]!.id })).numbers.rows.map((n) => n.number), [EXISTING]);
  });
});

test('a store from before the cancelled outcome: cancelled numbers stored as failed become cancelled', (t) => {
  const tmp = tempDir('cancel-migration');
  t.after(() => tmp.cleanup());
  // Every migration before the one that adds 'cancelled'.
  const earlier = join(tmp.dir, 'migrations-before');
  mkdirSync(earlier);
  const files = readdirSync(defaultMigrationsDir).filter((f) => /^\d{4}_/.test(f)).sort();
  for (const f of files.slice(0, files.findIndex((f) => f.endsWith('_job_number_cancelled.sql')))) copyFileSync(join(defaultMigrationsDir, f), join(earlier, f));
  const path = join(tmp.dir, 'old.sqlite');
  const old = openDatabase(path, { migrationsDir: earlier });
  old.db.exec(`
    INSERT INTO clusters (id, name, base_url, auth_kind, secret_sealed, created_at, updated_at) VALUES ('c1', 'lab', 'https://lab.example', 'api_key', 'x', 1, 1);
    INSERT INTO job_batches (id, list_name, cluster_id, resource_id, chunk_size, total_numbers, created_at) VALUES ('b1', 'l', 'c1', 'r', 2, 4, 1);
    INSERT INTO jobs (id, batch_id, cluster_id, resource_id, kind, seq, tag, name, state, total, done, successes, failures, next_at, created_at, updated_at)
      VALUES ('j1', 'b1', 'c1', 'r', 'chunk', 1, 'cd-1', 'n1', 'complete', 2, 2, 1, 1, 1, 1, 1),
             ('j2', 'b1', 'c1', 'r', 'chunk', 2, 'cd-2', 'n2', 'cancelled', 2, 2, 0, 2, 1, 1, 1);
    INSERT INTO job_numbers (job_id, pos, number, outcome, reason) VALUES
      ('j1', 0, '+1', 'success', NULL), ('j1', 1, '+2', 'failed', 'number_exists'),
      ('j2', 0, '+3', 'failed', 'cancelled before submission'), ('j2', 1, '+4', 'failed', 'cancelled before submission');
  `);
  old.db.close();
  const { db } = openDatabase(path);
  t.after(() => db.close());
  const outcomes = db.prepare('SELECT number, outcome FROM job_numbers ORDER BY number').all();
  assert.deepEqual(outcomes, [
    { number: '+1', outcome: 'success' },
    { number: '+2', outcome: 'failed' },
    { number: '+3', outcome: 'cancelled' },
    { number: '+4', outcome: 'cancelled' },
  ]);
  assert.deepEqual(db.prepare("SELECT done, successes, failures FROM jobs WHERE id = 'j2'").get(), { done: 0, successes: 0, failures: 0 });
  assert.deepEqual(db.prepare("SELECT done, successes, failures FROM jobs WHERE id = 'j1'").get(), { done: 2, successes: 1, failures: 1 });
  // The index that finds a number in a job is there again.
  assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'job_numbers_by_number'").get());
});
