// Unit tests of the jobs dashboard's arithmetic: per-number counts that add up with cancelled numbers apart, a
// submission and a part named by their outcome, and a rate that says "no rate yet" only when nothing was measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchView, JobState, JobView } from '../../../electron/shared/contract/jobs.ts';
import { batchCounts, batchRate, batchStatus, partStatus, rateParts } from '../../../renderer/src/lib/components/jobs/batch-summary.ts';
import { finishedOutcome } from '../../../electron/shared/job-outcome.ts';

function job(seq: number, state: JobState, over: Partial<JobView> = {}): JobView {
  return {
    id: `j${seq}`, batchId: 'b', kind: 'chunk', seq, name: `n${seq}`, tag: `cd-${seq}`, clusterId: 'c', scope: { kind: 'global', label: '' }, resourceId: 'r',
    state, total: 500, done: 0, successes: 0, failures: 0, moved: 0, cancelled: 0, submitAttempts: 0, createdAt: 0, updatedAt: 0, nextAt: 0, ...over,
  };
}
const batch = (over: Partial<BatchView>): BatchView => ({
  id: 'b', listName: 'l', clusterId: 'c', scope: { kind: 'global', label: '' }, resourceId: 'r', chunkSize: 500, totalNumbers: 2000, skippedPresent: 0, createdAt: 0,
  jobs: 4, states: {}, succeeded: 0, failed: 0, cancelled: 0, pending: 2000, ...over,
});

test('counts add up: imported + failed + cancelled + pending = total, cancelled never counted as done or failed', () => {
  const list = [
    job(1, 'complete', { done: 500, successes: 497, failures: 3 }),
    job(2, 'running', { done: 120, successes: 120 }),
    job(3, 'cancelled', { cancelled: 500 }),
    job(4, 'cancelled', { cancelled: 500 }),
  ];
  // The batch view lags behind the live events: the live sums win where they are exact.
  const c = batchCounts(batch({ succeeded: 497, failed: 3, cancelled: 0, pending: 1500 }), list);
  assert.deepEqual(c, { total: 2000, imported: 617, failed: 3, cancelled: 1000, pending: 380 });
  assert.equal(c.imported + c.failed + c.cancelled + c.pending, c.total);
});

test('a running submission says what goes on; a finished one is named by its outcome', () => {
  const none = { total: 1000, imported: 0, failed: 0, cancelled: 0, pending: 1000 };
  assert.equal(batchStatus([job(1, 'running'), job(2, 'queued')], none, false).label, 'running');
  assert.equal(batchStatus([job(1, 'stalled'), job(2, 'queued')], none, false).label, 'stalled');
  assert.equal(batchStatus([job(1, 'queued')], none, true).label, 'cluster offline');
  const done = (imported: number, failed: number, cancelled: number) => batchStatus([job(1, 'complete')], { total: 1000, imported, failed, cancelled, pending: 0 }, false);
  assert.deepEqual(done(1000, 0, 0), { key: 'all_imported', label: 'all imported', tone: 'ok' });
  assert.deepEqual(done(990, 10, 0), { key: 'some_failed', label: 'some failed', tone: 'warn' });
  assert.deepEqual(done(0, 1000, 0), { key: 'all_failed', label: 'all failed', tone: 'err' });
  assert.equal(done(500, 0, 500).label, 'cancelled part-way');
  assert.equal(finishedOutcome({ imported: 0, failed: 0, cancelled: 1000 }).label, 'cancelled');
});

test('a finished submission whose counts still lag its parts is not named by an outcome the counts do not show', () => {
  // The last part ended; the batch view was read before it: 180 of 200 failed, 20 to go.
  const list = [job(1, 'complete', { total: 200, done: 200, failures: 200 })];
  const c = batchCounts(batch({ totalNumbers: 200, jobs: 1, failed: 180, pending: 20 }), list);
  assert.equal(c.pending, 20);
  assert.deepEqual(batchStatus(list, c, false), { label: 'counting results', tone: 'info' });
  const now = batchCounts(batch({ totalNumbers: 200, jobs: 1, failed: 200, pending: 0 }), list);
  assert.equal(batchStatus(list, now, false).label, 'all failed');
});

test('a complete part whose numbers all failed is "all failed", never a green complete', () => {
  assert.deepEqual(partStatus(job(1, 'complete', { total: 200, done: 200, failures: 200 })), { key: 'all_failed', label: 'all failed', tone: 'err' });
  assert.equal(partStatus(job(1, 'complete', { done: 500, successes: 500 }))?.tone, 'ok');
  assert.equal(partStatus(job(1, 'running')), null);
});

test('the rate: null before anything was measured, fading to 0 when nothing moves, and how long nothing moved', () => {
  const now = 1_000_000;
  const running = job(2, 'stalled');
  const justDone = job(1, 'complete', { finishedAt: now - 10_000 });
  const longDone = job(0, 'complete', { finishedAt: now - 600_000 });
  assert.deepEqual(rateParts([longDone, justDone, running, job(3, 'queued')], now).map((j) => j.id), ['j1', 'j2']);
  assert.deepEqual(batchRate([running], { j2: [{ at: now - 1000, done: 0 }] }, now), { rate: null, quietMs: null });
  const series = { j2: [{ at: now - 40_000, done: 0 }, { at: now - 30_000, done: 100 }, { at: now - 2_000, done: 100 }] };
  const r = batchRate([running], series, now);
  assert.equal(r.quietMs, 30_000, 'a poll that found no progress is not progress');
  assert.ok(r.rate !== null && r.rate < 100 / 30);
});
