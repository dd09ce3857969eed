// Owns job_batches, job_batch_skips, jobs, job_numbers, job_progress and watcher_lease.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';
import type { JobSnapshot, JobState } from '../../jobs/machine.ts';

export interface BatchRow {
  id: string;
  list_id: string | null;
  list_name: string;
  cluster_id: string;
  account_id: string | null;
  resource_id: string;
  chunk_size: number;
  total_numbers: number;
  skipped_present: number;
  created_at: number;
}

export interface JobRow {
  id: string;
  batch_id: string;
  cluster_id: string;
  account_id: string | null;
  resource_id: string;
  kind: 'chunk' | 'remainder' | 'retry';
  parent_job_id: string | null;
  seq: number;
  tag: string;
  name: string;
  remote_id: string | null;
  state: JobState;
  remote_status: string | null;
  total: number;
  done: number;
  successes: number;
  failures: number;
  submit_attempts: number;
  submit_started_at: number | null;
  error_streak: number;
  not_found_streak: number;
  interval_ms: number;
  next_at: number;
  last_progress_at: number | null;
  last_polled_at: number | null;
  last_error: string | null;
  note: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export type Outcome = 'pending' | 'success' | 'failed' | 'moved' | 'cancelled';

export interface JobNumberRow {
  job_id: string;
  pos: number;
  number: string;
  outcome: Outcome;
  number_state: string | null;
  carrier_module: string | null;
  reason: string | null;
  error_json: string | null;
  next_job_id: string | null;
  updated_at: number | null;
}

export type NewJob = Pick<JobRow, 'id' | 'batch_id' | 'cluster_id' | 'account_id' | 'resource_id' | 'kind' | 'parent_job_id' | 'seq' | 'tag' | 'name'>;

export function snapshotOf(r: JobRow): JobSnapshot {
  return {
    state: r.state,
    remoteId: r.remote_id,
    remoteStatus: r.remote_status,
    total: r.total,
    done: r.done,
    successes: r.successes,
    failures: r.failures,
    submitAttempts: r.submit_attempts,
    submitStartedAt: r.submit_started_at,
    errorStreak: r.error_streak,
    notFoundStreak: r.not_found_streak,
    intervalMs: r.interval_ms,
    nextAt: r.next_at,
    lastProgressAt: r.last_progress_at,
    lastError: r.last_error,
    note: r.note,
    finishedAt: r.finished_at,
    isRemainder: r.kind === 'remainder',
  };
}

const noOutcomes = (): Record<Outcome, number> => ({ pending: 0, success: 0, failed: 0, moved: 0, cancelled: 0 });

export class JobsRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  transaction<T>(fn: () => T): T {
    return this.st.transaction(fn);
  }

  insertBatch(b: BatchRow): void {
    this.st
      .get(
        `INSERT INTO job_batches (id, list_id, list_name, cluster_id, account_id, resource_id, chunk_size, total_numbers, skipped_present, created_at)
         VALUES (@id, @list_id, @list_name, @cluster_id, @account_id, @resource_id, @chunk_size, @total_numbers, @skipped_present, @created_at)`,
      )
      .run(b);
  }

  insertSkips(batchId: string, numbers: string[], reason: string): void {
    const st = this.st.get('INSERT OR IGNORE INTO job_batch_skips (batch_id, number, reason) VALUES (?, ?, ?)');
    for (const n of numbers) st.run(batchId, n, reason);
  }

  batch(id: string): BatchRow | undefined {
    return this.st.get<[string], BatchRow>('SELECT * FROM job_batches WHERE id = ?').get(id);
  }

  batches(): BatchRow[] {
    return this.st.get<[], BatchRow>('SELECT * FROM job_batches ORDER BY created_at DESC').all();
  }

  /** Inserts a queued job with its numbers (callers wrap this in a transaction with related writes). */
  insertJob(j: NewJob, numbers: string[], now: number): void {
    this.st
      .get(
        `INSERT INTO jobs (id, batch_id, cluster_id, account_id, resource_id, kind, parent_job_id, seq, tag, name, state, total, next_at, created_at, updated_at)
         VALUES (@id, @batch_id, @cluster_id, @account_id, @resource_id, @kind, @parent_job_id, @seq, @tag, @name, 'queued', @total, @now, @now, @now)`,
      )
      .run({ ...j, total: numbers.length, now });
    const st = this.st.get("INSERT INTO job_numbers (job_id, pos, number, outcome) VALUES (?, ?, ?, 'pending')");
    numbers.forEach((n, i) => st.run(j.id, i, n));
  }

  job(id: string): JobRow | undefined {
    return this.st.get<[string], JobRow>('SELECT * FROM jobs WHERE id = ?').get(id);
  }

  /** By local id, client tag, or remote id. */
  findJob(ref: string): JobRow | undefined {
    return this.st.get<[string, string, string], JobRow>('SELECT * FROM jobs WHERE id = ? OR tag = ? OR remote_id = ? LIMIT 1').get(ref, ref, ref);
  }

  jobs(filter: { batchId?: string; states?: JobState[]; limit: number }): JobRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.batchId) {
      where.push('batch_id = ?');
      args.push(filter.batchId);
    }
    if (filter.states?.length) {
      where.push(`state IN (${filter.states.map(() => '?').join(',')})`);
      args.push(...filter.states);
    }
    const sql = `SELECT * FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, seq LIMIT ?`;
    return this.st.get(sql).all(...args, filter.limit) as JobRow[];
  }

  batchJobs(batchId: string): JobRow[] {
    return this.st.get<[string], JobRow>('SELECT * FROM jobs WHERE batch_id = ? ORDER BY seq').all(batchId);
  }

  childJobs(parentId: string): JobRow[] {
    return this.st.get<[string], JobRow>('SELECT * FROM jobs WHERE parent_job_id = ? ORDER BY seq').all(parentId);
  }

  unfinished(): JobRow[] {
    return this.st
      .get<[], JobRow>("SELECT * FROM jobs WHERE state NOT IN ('complete', 'failed', 'superseded', 'cancelled') ORDER BY created_at, seq")
      .all();
  }

  /** Jobs whose timer is due (not queued, not finished). */
  due(now: number, limit: number): JobRow[] {
    return this.st
      .get<[number, number], JobRow>(
        "SELECT * FROM jobs WHERE state IN ('submitting', 'verifying', 'submitted', 'running', 'stalled', 'unknown') AND next_at <= ? ORDER BY next_at LIMIT ?",
      )
      .all(now, limit);
  }

  nextDueAt(): number | null {
    const r = this.st
      .get<[], { at: number | null }>("SELECT MIN(next_at) AS at FROM jobs WHERE state IN ('submitting', 'verifying', 'submitted', 'running', 'stalled', 'unknown')")
      .get();
    return r?.at ?? null;
  }

  queued(clusterId: string, limit: number): JobRow[] {
    return this.st.get<[string, number], JobRow>("SELECT * FROM jobs WHERE cluster_id = ? AND state = 'queued' ORDER BY created_at, seq LIMIT ?").all(clusterId, limit);
  }

  clustersWithQueued(): string[] {
    return this.st.get<[], { cluster_id: string }>("SELECT DISTINCT cluster_id FROM jobs WHERE state = 'queued'").all().map((r) => r.cluster_id);
  }

  activeCount(clusterId: string): number {
    return (
      this.st
        .get<[string], { n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE cluster_id = ? AND state IN ('submitting', 'verifying', 'submitted', 'running')")
        .get(clusterId)?.n ?? 0
    );
  }

  /** Last time any job of the cluster moved (a busy executor is not a dead one). */
  clusterProgressAt(clusterId: string): number | null {
    return this.st.get<[string], { at: number | null }>('SELECT MAX(last_progress_at) AS at FROM jobs WHERE cluster_id = ?').get(clusterId)?.at ?? null;
  }

  saveSnapshot(id: string, s: JobSnapshot, now: number, extra: { last_polled_at?: number } = {}): void {
    this.st
      .get(
        `UPDATE jobs SET state = @state, remote_id = @remoteId, remote_status = @remoteStatus, total = @total, done = @done,
           successes = @successes, failures = @failures, submit_attempts = @submitAttempts, submit_started_at = @submitStartedAt,
           error_streak = @errorStreak, not_found_streak = @notFoundStreak, interval_ms = @intervalMs, next_at = @nextAt,
           last_progress_at = @lastProgressAt, last_error = @lastError, note = @note, finished_at = @finishedAt,
           last_polled_at = COALESCE(@lastPolledAt, last_polled_at), updated_at = @now
         WHERE id = @id`,
      )
      .run({ ...s, id, now, lastPolledAt: extra.last_polled_at ?? null });
  }

  numbers(jobId: string): string[] {
    return this.st.get<[string], { number: string }>('SELECT number FROM job_numbers WHERE job_id = ? ORDER BY pos').all(jobId).map((r) => r.number);
  }

  numbersByOutcome(jobId: string, outcome: Outcome): JobNumberRow[] {
    return this.st.get<[string, Outcome], JobNumberRow>('SELECT * FROM job_numbers WHERE job_id = ? AND outcome = ? ORDER BY pos').all(jobId, outcome);
  }

  numberRows(jobId: string, offset: number, limit: number, outcome?: Outcome): JobNumberRow[] {
    if (outcome) {
      return this.st
        .get<[string, Outcome, number, number], JobNumberRow>('SELECT * FROM job_numbers WHERE job_id = ? AND outcome = ? ORDER BY pos LIMIT ? OFFSET ?')
        .all(jobId, outcome, limit, offset);
    }
    return this.st.get<[string, number, number], JobNumberRow>('SELECT * FROM job_numbers WHERE job_id = ? AND pos >= ? ORDER BY pos LIMIT ?').all(jobId, offset, limit);
  }

  /** Sets a number's outcome; returns true when something changed. */
  setOutcome(jobId: string, number: string, o: { outcome: Outcome; number_state?: string | null; carrier_module?: string | null; reason?: string | null; error_json?: string | null }, now: number): boolean {
    return (
      this.st
        .get(
          `UPDATE job_numbers SET outcome = @outcome, number_state = @number_state, carrier_module = @carrier_module, reason = @reason,
             error_json = @error_json, updated_at = @now
           WHERE job_id = @jobId AND number = @number AND (outcome IS NOT @outcome OR reason IS NOT @reason OR number_state IS NOT @number_state)`,
        )
        .run({ number_state: null, carrier_module: null, reason: null, error_json: null, ...o, jobId, number, now }).changes > 0
    );
  }

  outcomeCounts(jobId: string): Record<Outcome, number> {
    const out = noOutcomes();
    for (const r of this.st.get<[string], { outcome: Outcome; n: number }>('SELECT outcome, COUNT(*) AS n FROM job_numbers WHERE job_id = ? GROUP BY outcome').all(jobId)) out[r.outcome] = r.n;
    return out;
  }

  failPending(jobId: string, reason: string, now: number): number {
    return this.st.get("UPDATE job_numbers SET outcome = 'failed', reason = ?, updated_at = ? WHERE job_id = ? AND outcome = 'pending'").run(reason, now, jobId).changes;
  }

  /** Numbers of a part cancelled before it was sent: never offered to the cluster, so neither failed nor retried. */
  cancelPending(jobId: string, now: number): number {
    return this.st
      .get("UPDATE job_numbers SET outcome = 'cancelled', reason = 'cancelled before it was sent', updated_at = ? WHERE job_id = ? AND outcome = 'pending'")
      .run(now, jobId).changes;
  }

  /** Marks the given numbers of a job as handed over to another job. */
  markMoved(jobId: string, numbers: string[], nextJobId: string, now: number): void {
    const st = this.st.get("UPDATE job_numbers SET outcome = 'moved', next_job_id = ?, updated_at = ? WHERE job_id = ? AND number = ?");
    for (const n of numbers) st.run(nextJobId, now, jobId, n);
  }

  /** Records that failed numbers were retried in another job (their outcome stays 'failed'). */
  markRetried(jobId: string, numbers: string[], nextJobId: string, now: number): void {
    const st = this.st.get('UPDATE job_numbers SET next_job_id = ?, updated_at = ? WHERE job_id = ? AND number = ?');
    for (const n of numbers) st.run(nextJobId, now, jobId, n);
  }

  /** The job (if any) that earlier held this number and handed it to `jobId`. */
  previousHolder(jobId: string, number: string): string | null {
    return this.st.get<[string, string], { job_id: string }>('SELECT job_id FROM job_numbers WHERE next_job_id = ? AND number = ? LIMIT 1').get(jobId, number)?.job_id ?? null;
  }

  /** Outcome of each number's latest attempt across a batch. */
  batchOutcomes(batchId: string): Record<Outcome, number> {
    const out = noOutcomes();
    const rows = this.st
      .get<[string], { outcome: Outcome; n: number }>(
        'SELECT n.outcome, COUNT(*) AS n FROM job_numbers n JOIN jobs j ON j.id = n.job_id WHERE j.batch_id = ? AND n.next_job_id IS NULL GROUP BY n.outcome',
      )
      .all(batchId);
    for (const r of rows) out[r.outcome] = r.n;
    return out;
  }

  addProgress(jobId: string, at: number, done: number): void {
    this.st.get('INSERT OR REPLACE INTO job_progress (job_id, at, done) VALUES (?, ?, ?)').run(jobId, at, done);
  }

  series(jobId: string): { at: number; done: number }[] {
    return this.st.get<[string], { at: number; done: number }>('SELECT at, done FROM job_progress WHERE job_id = ? ORDER BY at').all(jobId);
  }

  maxSeq(batchId: string): number {
    return this.st.get<[string], { m: number | null }>('SELECT MAX(seq) AS m FROM jobs WHERE batch_id = ?').get(batchId)?.m ?? 0;
  }

  /** Takes the watcher lease when free, expired, ours, or held by a process that no longer exists. */
  acquireLease(owner: string, pid: number, host: string, now: number, ttlMs: number, holderAlive: (pid: number, host: string) => boolean): boolean {
    return this.transaction(() => {
      const cur = this.st.get<[], { owner: string; pid: number; host: string; expires_at: number }>('SELECT owner, pid, host, expires_at FROM watcher_lease WHERE id = 1').get();
      if (cur && cur.owner !== owner && cur.expires_at > now && holderAlive(cur.pid, cur.host)) return false;
      this.st
        .get('INSERT INTO watcher_lease (id, owner, pid, host, expires_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host, expires_at = excluded.expires_at')
        .run(owner, pid, host, now + ttlMs);
      return true;
    });
  }

  leaseHolder(): { pid: number; host: string } | null {
    return this.st.get<[], { pid: number; host: string }>('SELECT pid, host FROM watcher_lease WHERE id = 1').get() ?? null;
  }

  releaseLease(owner: string): void {
    this.st.get('DELETE FROM watcher_lease WHERE id = 1 AND owner = ?').run(owner);
  }
}
